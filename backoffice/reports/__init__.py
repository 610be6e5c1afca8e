"""Reports of the backoffice (django-tables2 pages inside the admin) and the dashboard's reads."""

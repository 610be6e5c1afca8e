"""A fresh install offers one default shipping method: "Standard delivery", free (included in
the price), which every checkout that names no method uses. An install that already has a
default keeps it; a free "Standard delivery" already there becomes the default."""

from django.db import migrations

NAME = "Standard delivery"


def standard_delivery_default(apps, schema_editor):
    ShippingMethod = apps.get_model("shopping", "ShippingMethod")
    if ShippingMethod.objects.filter(is_default=True).exists():
        return
    method = ShippingMethod.objects.filter(name=NAME, cost=0).order_by("pk").first()
    if method is None:
        method = ShippingMethod(name=NAME, cost=0, estimated_days=5)
    method.description = method.description or "Included in the price"
    method.is_active = True
    method.is_default = True
    method.save()


class Migration(migrations.Migration):
    dependencies = [("shopping", "0002_shippingmethod_default")]

    operations = [migrations.RunPython(standard_delivery_default, migrations.RunPython.noop)]

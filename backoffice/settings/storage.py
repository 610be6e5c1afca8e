"""Static files (WhiteNoise) and media: uploaded files on the local disk or in an S3-compatible
bucket (django-storages), chosen by the conventional AWS variables (docs/production.md#media).

Without ``AWS_STORAGE_BUCKET_NAME`` uploads stay under ``MEDIA_ROOT`` and this site serves
them at ``MEDIA_URL`` itself (``core.media_views``), in production mode too. With a bucket every
stored file goes there and its URLs point at the bucket, or at ``AWS_S3_CUSTOM_DOMAIN`` (a CDN).
"""

from pathlib import Path

from core.env import env_str
from core.media import FILE_SYSTEM_STORAGE, s3_storage

from .base import BASE_DIR, DEBUG

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "backoffice" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# The bucket: its name turns S3 on; the rest as AWS (and boto3) name them. An empty endpoint
# is AWS itself; MinIO, Cloudflare R2, etc. give theirs.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL")
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME")
AWS_S3_CUSTOM_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN")

STORAGES = {
    "default": (
        s3_storage(
            bucket=AWS_STORAGE_BUCKET_NAME,
            endpoint_url=AWS_S3_ENDPOINT_URL,
            access_key=env_str("AWS_ACCESS_KEY_ID"),
            secret_key=env_str("AWS_SECRET_ACCESS_KEY"),
            region=AWS_S3_REGION_NAME,
            custom_domain=AWS_S3_CUSTOM_DOMAIN,
        )
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": FILE_SYSTEM_STORAGE}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development WhiteNoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Files browsers ask for at the site's root (/favicon.ico), served as they are.
WHITENOISE_ROOT = BASE_DIR / "backoffice" / "public"

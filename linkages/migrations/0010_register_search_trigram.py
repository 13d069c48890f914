from django.db import migrations

from reviews.workflow.models import register_search_indexes


class Migration(migrations.Migration):
    dependencies = [("linkages", "0009_pubcpu_register_order")]

    operations = [register_search_indexes("linkages_linkage")]

from django.db import migrations

from reviews.workflow.models import register_search_indexes


class Migration(migrations.Migration):
    dependencies = [("consignments", "0007_pubcpu_register_order")]

    operations = [register_search_indexes("consignments_consignment")]

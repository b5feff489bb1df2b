# Named reverse accessors on Page, so a site's own NewsPage or DelegationPage does not clash (issue 11).

import django.db.models.deletion
import swapper
from django.db import migrations, models

# The site's page model: wagtailcore.Page, or WAGTAIL_PAGE_MODEL (Wagtail 8's custom base page).
PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page")


class Migration(migrations.Migration):

    dependencies = [
        ('mmm_wagtail', '0005_fresh_webhook_delivery'),
        ('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='delegationindexpage',
            name='page_ptr',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='mmm_delegation_index_page', serialize=False, to=PAGE_MODEL),
        ),
        migrations.AlterField(
            model_name='delegationpage',
            name='page_ptr',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='mmm_delegation_page', serialize=False, to=PAGE_MODEL),
        ),
        migrations.AlterField(
            model_name='newspage',
            name='page_ptr',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, related_name='mmm_news_page', serialize=False, to=PAGE_MODEL),
        ),
    ]

# Tag translations: the slug may be left blank (made from the name); help texts for editors.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mmm_wagtail', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='tagtranslation',
            name='locale',
            field=models.ForeignKey(help_text='The language readers see this name in.', on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.locale', verbose_name='locale'),
        ),
        migrations.AlterField(
            model_name='tagtranslation',
            name='name',
            field=models.CharField(help_text='The tag as readers of this language see it, e.g. early childhood.', max_length=100, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='tagtranslation',
            name='slug',
            field=models.SlugField(allow_unicode=True, blank=True, help_text="Used in this language's addresses and filters, e.g. early-childhood. Leave blank to make it from the name.", max_length=100, verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='tagtranslation',
            name='tag',
            field=models.ForeignKey(help_text='The tag as editors type it on news items, e.g. petite enfance.', on_delete=django.db.models.deletion.CASCADE, related_name='mmm_translations', to='taggit.tag', verbose_name='tag'),
        ),
    ]

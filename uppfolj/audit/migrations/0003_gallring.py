# Gallring (arende_gallra): the change and access logs outlive a deleted case and keep its id.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('arenden', '0005_lagrum_sol_2025'),
        ('audit', '0002_lasare_roll_och_nekad'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslog',
            name='arende_ref',
            field=models.CharField(blank=True, db_index=True, max_length=50, verbose_name='gallrat ärendes id'),
        ),
        migrations.AddField(
            model_name='auditlog',
            name='arende_ref',
            field=models.CharField(blank=True, db_index=True, max_length=50, verbose_name='gallrat ärendes id'),
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='arende',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='arenden.arende', verbose_name='ärende'),
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='arende',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='arenden.arende', verbose_name='ärende'),
        ),
    ]

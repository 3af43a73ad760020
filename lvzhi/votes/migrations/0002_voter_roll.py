"""The roll names accounts, not standing members, so deputies' 票决 and meetings share the box;
boxes may be named (记名) or counted from paper ballots."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def members_to_voters(apps, schema_editor):
    VoteCast = apps.get_model("votes", "VoteCast")
    for row in VoteCast.objects.select_related("member").iterator():
        row.voter_id = row.member.user_id
        row.save(update_fields=["voter"])


class Migration(migrations.Migration):

    dependencies = [
        ("votes", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField("ballotbox", "secret", models.BooleanField(default=True, verbose_name="无记名投票")),
        migrations.AddField("ballotbox", "paper", models.BooleanField(default=False, verbose_name="纸质选票")),
        migrations.AddField("ballotbox", "paper_entry",
                            models.JSONField(blank=True, default=dict, verbose_name="待复核的计票录入")),
        migrations.AddField("votecast", "voter", models.ForeignKey(
            null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
            to=settings.AUTH_USER_MODEL, verbose_name="投票人")),
        migrations.AddField("votecast", "marks", models.JSONField(blank=True, null=True, verbose_name="所投（记名表决）")),
        migrations.RunPython(members_to_voters, migrations.RunPython.noop),
        migrations.RemoveConstraint("votecast", "votes_one_member_one_roll"),
        migrations.RemoveField("votecast", "member"),
        migrations.AlterField("votecast", "voter", models.ForeignKey(
            on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL,
            verbose_name="投票人")),
        migrations.AddConstraint("votecast", models.UniqueConstraint(fields=("box", "voter"),
                                                                     name="votes_one_voter_one_roll")),
    ]

"""Voice's background work: the daily check of deadlines (reminders before, escalation after), also run by
`manage.py voice_deadlines`, e.g. from cron, as trade's expiry is."""

from qiaojia.jobs import services as jobs

from . import services

DEADLINES_KIND = "voice.deadlines"


@jobs.register(DEADLINES_KIND)
def deadlines_job(job, progress) -> None:
    progress(0, 1, "")
    services.opinions_check_deadlines()
    progress(1, 1, "")

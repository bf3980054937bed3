"""Trade's background work: the daily expiry of offers and needs whose validity ended (also run by
`manage.py trade_expire`, e.g. from cron)."""

from qiaojia.jobs import services as jobs

from . import services, services_deals

EXPIRE_KIND = "trade.expire"


@jobs.register(EXPIRE_KIND)
def expire_job(job, progress) -> None:
    progress(0, 1, "")
    services.offers_expire()
    progress(1, 1, "")


DIGEST_KIND = "trade.digest"


@jobs.register(DIGEST_KIND)
def digest_job(job, progress) -> None:
    """The weekly digest of new matches (also `manage.py trade_digest`, run weekly from cron)."""
    progress(0, 1, "")
    services_deals.digest_send()
    progress(1, 1, "")

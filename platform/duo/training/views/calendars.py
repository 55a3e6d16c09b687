"""The branch's training calendar link, and the ``.ics`` feed behind every link.

The feed itself is public: the secret link is the key (404 when unknown or revoked).
"""

from __future__ import annotations

import hashlib

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from duo.core.auth.access import coordinator_required, personal_link
from duo.core.calendar import FEED_CONTENT_TYPE
from duo.training import feeds
from duo.training.forms import ActionForm
from duo.training.models import BRANCH_FEED
from duo.training.views.blueprint import bp, page_locale


def feed_url(token: str) -> str:
    return url_for("training.feed", token=token, _external=True)


@bp.route("/calendar")
@coordinator_required
def calendar():
    links = feeds.active_tokens(BRANCH_FEED)
    return render_template(
        "training/calendar.html",
        link=links[-1] if links else None,
        new_link=None,
        action_form=ActionForm(),
    )


@bp.route("/calendar/link", methods=["POST"])
@coordinator_required
def calendar_link():
    if not ActionForm().validate():
        abort(400)
    row, token = feeds.issue_branch_token(page_locale(), by=current_user)
    return render_template(
        "training/calendar.html", link=row, new_link=feed_url(token), action_form=ActionForm()
    )


@bp.route("/calendar/revoke", methods=["POST"])
@coordinator_required
def calendar_revoke():
    if not ActionForm().validate():
        abort(400)
    feeds.revoke(feeds.active_tokens(BRANCH_FEED))
    flash(_("The calendar link no longer works."), "success")
    return redirect(url_for("training.calendar"))


@bp.route("/calendar/<token>.ics")
@personal_link  # the secret link is the key; another branch's link gives 404
def feed(token: str):
    """The feed itself: no login, the secret link is the key (404 when unknown or revoked)."""
    row = feeds.find(token)
    if row is None:
        abort(404)
    data = feeds.feed_for(g.tenant, row)
    response = Response(data, content_type=FEED_CONTENT_TYPE)
    response.set_etag(hashlib.sha256(data).hexdigest())
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Content-Disposition"] = 'inline; filename="training.ics"'
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response.make_conditional(request)

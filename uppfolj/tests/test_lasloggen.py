"""The access log is complete (ACC-LOGG, issue 7): one row per read, the refusal only.

Every route that shows one case is read by every role the authorization matrix allows,
and each read must write exactly one access-log row naming the reader, the reader's role,
the case and the view. A refused request (403/404) for a case that exists must write one
row, marked as refused, and nothing else.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from uppfolj.accounts.models import Roll, User
from uppfolj.arenden.models import Arende
from uppfolj.audit.models import AccessLog

from .matris_varld import KINDS, TODAY, Varld
from .matris_varld_http import REFUSED, ROLES, case_of, request, routes, takes_case, url_for
from .test_behorighetsmatris import MATRIX, parse

# The inspector's GET of these pages is the form asking for a reason, not a read; the read
# is the POST with the reason, which the log keeps.
READ_WITH_REASON = frozenset(
    {"arenden:arende", "arenden:journal", "uppfoljning:visa", "uppfoljning:pdf"}
)
SKAL = "Granskning av handläggningstider 2026."


def _check(rows: list[AccessLog], user, arende, *, nekad: bool, skal: str = "") -> str:
    got = [(r.aktor_id, r.arende_id, r.nekad, r.roll, r.skal) for r in rows]
    want = [(user.pk, arende.pk, nekad, user.roll, skal)]
    if got != want or not rows[0].vy:
        return f"expected {want}, got {got} ({[r.vy for r in rows]})"
    return ""


# The routes are tried in SHARDS parts, so that the suite's processes share the work; the
# city is built once per module and process (conftest.varld).
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
@time_machine.travel(TODAY, tick=False)
def test_every_read_of_a_case_writes_one_row_and_a_refusal_only_the_refusal(
    varld: Varld, db: None, pdf_utan_layout: None, shard: int
) -> None:
    cast = varld.cast
    expected = parse(MATRIX)
    problems: list[str] = []
    reads = refusals = 0
    clients = {role: Client() for role in ROLES[:-1]}
    for role, client in clients.items():
        client.force_login(cast[role])
    for route, params in sorted(routes().items())[shard::SHARDS]:
        if not takes_case(route, params):
            continue
        method, cells = expected[route]
        for role, cell in zip(ROLES[:-1], cells, strict=False):
            user = cast[role]
            client = clients[role]
            # One read and one refusal per route and role: the same code runs for each kind.
            read_once = refused_once = False
            for kind, want in zip(KINDS, cell, strict=True):
                arende = case_of(varld, route, kind)
                url = url_for(varld, route, list(params), kind)
                if want == "2" and method == "GET" and not read_once:
                    read_once = True
                    reason = role == "inspektor" and route in READ_WITH_REASON
                    if reason:
                        # Asking for the reason shows nothing of the case and logs no read.
                        with request(client, "GET", url) as asked:
                            if asked.reads or asked.response.status_code != 200:
                                problems.append(f"{route} {role} {kind}: the reason form read")
                    with request(client, "POST" if reason else "GET", url, {"skal": SKAL}) as svar:
                        status = svar.response.status_code
                        fel = _check(
                            svar.reads, user, arende, nekad=False, skal=SKAL if reason else ""
                        )
                    reads += 1
                elif want in REFUSED and not refused_once:
                    refused_once = True
                    with request(client, method, url) as svar:
                        status = svar.response.status_code
                        fel = _check(svar.reads, user, arende, nekad=True)
                    refusals += 1
                else:
                    continue
                if status >= 400 and want == "2":
                    fel = f"status {status}"
                if fel:
                    problems.append(f"{route} {role} {kind}: {fel}")
    assert reads > 100 // SHARDS and refusals > 200 // SHARDS, (reads, refusals)
    assert not problems, "\n".join(problems)


@time_machine.travel(TODAY, tick=False)
def test_the_laslogg_shows_a_refused_read_with_the_role_at_the_time(varld: Varld, db: None) -> None:
    cast = varld.cast
    arende = Arende.objects.get(arende_id="M-egen")
    nyfiken = cast["boendestodjare_annan"]
    client = Client()
    client.force_login(nyfiken)
    assert client.get(reverse("arenden:arende", args=[arende.arende_id])).status_code == 404
    # The reader's role changes later; the log keeps the role the read was made in.
    User.objects.filter(pk=nyfiken.pk).update(roll=Roll.SOCIALSEKRETERARE)
    chef = Client()
    chef.force_login(cast["enhetschef"])
    html = chef.get(reverse("arenden:lasloggen", args=[arende.arende_id])).content.decode()
    row = html[html.index("Bst_Annan") :].split("</tr>")[0]
    assert "<td>Boendestödjare</td>" in row
    assert "Ärendesidan <strong>(nekad)</strong>" in row

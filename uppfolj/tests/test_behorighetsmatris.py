"""The authorization matrix: every route, every role, every kind of case (issue 7).

Generated from the URL configuration: a route that the table below does not place fails
the test ("a new view added without being placed in the matrix").
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from .matris_varld import KINDS, TODAY, Varld
from .matris_varld_http import (
    COLUMN,
    KINDS_FOR,
    REFUSED,
    ROLES,
    code,
    request,
    routes,
    takes_case,
    url_for,
)

# What each role gets from each route. A cell has one character per kind of case
# (egen, annat, skyddad, utan: see matris_varld) for routes that name a case, "." where
# the role is not tried against that kind (matris_varld_http.KINDS_FOR), and one
# character for routes that do not. 2 = 200, r = redirect (302: anonymous to the login,
# a saved form onward), b = 400 (the role may, the empty form is refused), 4 = 403,
# n = 404 (the case is not visible to the role), x = 405. POST routes are posted empty;
# a refused post (4 or n) must write no audit row.
# Columns: ss socialsekreterare, fs förste socialsekreterare, ec enhetschef (myndighet),
# bs boendestödjare, sp stödpedagog, uc enhetschef (utförare) of the cast's provider,
# ba boendestödjare of another provider, in inspektör, ad administratör, ut a user with
# no role, an anonymous.
# Deliberate: provider staff read the authority's case page of a case their provider has
# (arenden:arende), a district's granter reaches a protected case's grants without a grant
# of their own (arenden:behorigheter), the case list answers every user (with the cases
# they may see: none for ad and ut).
# The inspector's 2 on a page of one case's content (arenden:arende, arenden:journal,
# uppfoljning:visa, uppfoljning:pdf) is the form asking for a reason; the content is shown
# only to a POST with one, kept in the access log (test_lasloggen). Every other page of
# one case's content, the provider's pages and the plan PDF included, refuses the inspector.
MATRIX = """
route                                      ss   fs   ec   bs   sp   uc   ba   in   ad   ut   an
arenden:arende                        GET  2nn. 2nn. 2nn. 2.nn 2.nn 2.nn n.n2 22n. n... n... r...
arenden:behorighet_aterkalla          POST 444. rnr. rnr. 4.44 4.nn 4.nn 4.44 444. 4... 4... r...
arenden:behorigheter                  GET  444. 2n2. 2n2. 4.44 2.nn 2.nn 4.44 444. 4... 4... r...
arenden:enhet_bevakningar             GET  4    2    2    4    4    4    4    4    4    4    r
arenden:gallring                      GET  4    4    2    4    4    4    4    4    4    4    r
arenden:gallring_bekrafta             GET  444. 444. 2nn. 4.44 4.44 4.44 4.44 444. 4... 4... r...
arenden:ivo                           GET  2    2    2    4    4    4    4    2    4    4    r
arenden:ivo_export                    GET  2    2    2    4    4    4    4    2    4    4    r
arenden:ivo_registrera                POST b    b    b    4    4    4    4    4    4    4    r
arenden:journal                       GET  2nn. 2nn. 2nn. 4.44 4.44 4.44 4.44 22n. 4... 4... r...
arenden:journal_felmarkera            POST bnn. bnn. bnn. 4.44 4.44 4.44 4.44 44n. 4... 4... r...
arenden:journal_skriv                 POST bnn. bnn. bnn. 4.44 4.44 4.44 4.44 44n. 4... 4... r...
arenden:kvittera                      POST rnn. rnn. rnn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
arenden:lasloggen                     GET  444. 2nn. 2nn. 4.44 4.44 4.44 4.44 444. 4... 4... r...
arenden:lista                         GET  2    2    2    2    2    2    2    2    2    2    r
arenden:mina_bevakningar              GET  2    2    2    4    4    4    4    4    4    4    r
arenden:nytt                          GET  2    2    2    4    4    4    4    4    4    4    r
arenden:sok                           GET  2    2    2    4    4    4    4    2    4    4    r
arenden:steg                          GET  2nn. 2nn. 2nn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
arenden:utkast                        POST 2nn. 2nn. 2nn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
granskning:fall                       GET  4    b    b    4    4    4    4    b    4    4    r
granskning:rapport                    GET  4    2    2    4    4    4    4    2    4    4    r
granskning:rapport_pdf                GET  4    2    2    4    4    4    4    2    4    4    r
granskning:tabeller_xlsx              GET  4    2    2    4    4    4    4    2    4    4    r
start                                 GET  r    r    r    r    r    r    r    r    r    r    r
uppfoljning:administration            GET  4    2    2    4    4    4    4    2    4    4    r
uppfoljning:administration_xlsx       GET  4    2    2    4    4    4    4    2    4    4    r
uppfoljning:avgift                    GET  2nn. 2nn. 2nn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
uppfoljning:avgift_uppdrag            POST rnn. rnn. rnn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
uppfoljning:forberedelse              GET  2nn. 2nn. 2nn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
uppfoljning:lexsarah                  GET  2nn. 2nn. 2nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
uppfoljning:lexsarah_kontaktad        POST bnn. bnn. bnn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
uppfoljning:lexsarah_ny               GET  2nn. 2nn. 2nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
uppfoljning:mote_ny                   GET  2nn. 2nn. 2nn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
uppfoljning:ny                        GET  2nn. 2nn. 2nn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
uppfoljning:ny_utkast                 POST 2nn. 2nn. 2nn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
uppfoljning:pdf                       GET  2nn. 2nn. 2nn. 4.nn 4.nn 4.nn n.n4 22n. n... n... r...
uppfoljning:personalens_bedomning     GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
uppfoljning:stodniva                  GET  2nn. 2nn. 2nn. 4.nn 4.nn 4.nn n.n4 44n. n... n... r...
uppfoljning:visa                      GET  2nn. 2nn. 2nn. 4.nn 4.nn 4.nn n.n4 22n. n... n... r...
utforare:anteckning_felmarkera        POST 4nn. 4nn. 4nn. b.nn b.nn b.nn n.nb 44n. n... n... r...
utforare:anteckning_skriv             POST 4nn. 4nn. 4nn. b.nn b.nn b.nn n.nb 44n. n... n... r...
utforare:anteckningar                 GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:anteckningar_radera          GET  4nn. 4nn. 4nn. 4.nn b.nn b.nn n.n4 44n. n... n... r...
utforare:arende                       GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:besok                        GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:inkorg                       GET  4    4    4    2    2    2    2    4    4    4    r
utforare:kontaktpersonal              GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:kontaktpersonal_avsluta      POST 4nn. 4nn. 4nn. 4.nn b.nn b.nn n.n4 44n. n... n... r...
utforare:plan_forslag                 GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:plan_jamfor                  GET  2nn. 2nn. 2nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:plan_kopia                   POST 4nn. 4nn. 4nn. b.nn b.nn b.nn n.nb 44n. n... n... r...
utforare:plan_ny                      GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:plan_pdf                     GET  2nn. 2nn. 2nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:plan_version                 GET  2nn. 2nn. 2nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:plan_versioner               GET  2nn. 2nn. 2nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:samlarteam                   GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:samlarteam_checklista        POST 4nn. 4nn. 4nn. b.nn b.nn b.nn n.nb 44n. n... n... r...
utforare:samlarteam_start             POST 4nn. 4nn. 4nn. b.nn b.nn b.nn n.nb 44n. n... n... r...
utforare:samlarteam_utvardering       POST 4nn. 4nn. 4nn. b.nn b.nn b.nn n.nb 44n. n... n... r...
utforare:sammanstallning              GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:sammanstallning_ny           GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:samtycke_aterkalla           GET  2nn. 2nn. 2nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:samtycke_ny                  GET  2nn. 2nn. 2nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:samtycken                    GET  2nn. 2nn. 2nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:slutanteckning               POST 4nn. 4nn. 4nn. r.nn r.nn r.nn n.nr 44n. n... n... r...
utforare:steg                         POST 4nn. 4nn. 4nn. b.nn b.nn b.nn n.nb 44n. n... n... r...
utforare:tid                          GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
utforare:tredagarsrutin               POST 4nn. 4nn. 4nn. b.nn b.nn b.nn n.nb 44n. n... n... r...
utforare:uppdrag_acceptera            POST 4nn. 4nn. 4nn. r.nn r.nn r.nn n.nr 44n. n... n... r...
utforare:uppdrag_returnera            GET  4nn. 4nn. 4nn. 2.nn 2.nn 2.nn n.n2 44n. n... n... r...
"""


def parse(matrix: str) -> dict[str, tuple[str, list[str]]]:
    rows = {}
    for line in matrix.strip().splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("route"):
            continue
        route, method, *cells = line.split()
        rows[route] = (method, cells)
    return rows


# The routes are tried in SHARDS parts, so that the suite's processes share the work; the
# city is built once per module and process (conftest.varld).
SHARDS = 6


def test_every_route_is_placed_in_the_matrix() -> None:
    expected = parse(MATRIX)
    found = routes()
    unplaced = sorted(set(found) - set(expected))
    gone = sorted(set(expected) - set(found))
    assert not (unplaced or gone), f"Not in the matrix: {unplaced}\nIn the matrix but gone: {gone}"


@pytest.mark.parametrize("shard", range(SHARDS))
@time_machine.travel(TODAY, tick=False)
def test_every_route_answers_every_role_as_the_matrix_says(
    varld: Varld, db: None, pdf_utan_layout: None, shard: int
) -> None:
    cast = varld.cast
    expected = parse(MATRIX)
    clients = {"anonym": Client()}
    for role in ROLES[:-1]:
        clients[role] = Client()
        clients[role].force_login(cast[role])
    found = sorted(routes().items())[shard::SHARDS]
    observed: dict[str, tuple[str, list[str]]] = {}
    problems: list[str] = []
    for route, params in found:
        method = expected.get(route, ("GET", []))[0]
        cells = []
        for role in ROLES:
            cell = ""
            for kind in KINDS if takes_case(route, params) else (None,):
                if kind is not None and kind not in KINDS_FOR[role]:
                    cell += "."
                    continue
                url = url_for(varld, route, params, kind)
                with request(clients[role], method, url) as svar:
                    got = code(svar.response.status_code)
                    if method == "POST" and got in REFUSED and svar.audit_rows:
                        problems.append(
                            f"{route} {role} {kind}: refused but changed {svar.audit_rows}"
                        )
                cell += got
            cells.append(cell)
        observed[route] = (method, cells)
        if route in expected and expected[route][1] != cells:
            wanted = expected[route][1] + ["?"] * (len(ROLES) - len(expected[route][1]))
            for role, want, got in zip(ROLES, wanted, cells, strict=False):
                if want != got:
                    problems.append(f"{route} {role}: expected {want}, got {got}")
    grid = "\n".join(
        f"{route:<38}{method:<5}" + " ".join(f"{c:<4}" for c in cells)
        for route, (method, cells) in observed.items()
    )
    header = f"{'route':<38}{'':<5}" + " ".join(f"{COLUMN[r]:<4}" for r in ROLES)
    assert not problems, "\n".join(problems) + f"\n\nObserved:\n{header}\n{grid}"

"""`gcsched rules show [REGION]`: the calling-hour rules, with citations."""

from __future__ import annotations

import json

import typer

from gcsched.cli.common import handle_errors, out, plain

__all__ = ["register"]

rules_app = typer.Typer(
    help="Calling-hour rule packs (research, not legal advice).",
    no_args_is_help=True,
)


@rules_app.command("show")
@handle_errors
def rules_show(
    region: str | None = typer.Argument(
        None, help="An ISO 3166 region: US, US-TX, CA-ON, AU, GB (default: all)."
    ),
    packs: list[str] | None = typer.Option(
        None,
        "--pack",
        help="A pack name or file (repeatable; default: the packs on by default).",
    ),
    purpose: str | None = typer.Option(
        None, "--purpose", help="Only rules for this purpose."
    ),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Print the rules that apply in a region, with citations and tiers."""
    from gcsched.api.compliance import show_rules
    from gcsched.domain.legal_hours import hours_text

    found = show_rules(region, packs=packs or None, purpose=purpose)
    if as_json:
        data = [
            {
                "region": item.region,
                "zones": list(item.zones),
                "rules": [
                    {
                        "id": r.id,
                        "pack": r.pack,
                        "jurisdiction": r.jurisdiction,
                        "purposes": sorted(r.purposes),
                        "hours": hours_text(r),
                        "caps": list(r.caps),
                        "effective_from": r.effective_from
                        and r.effective_from.isoformat(),
                        "effective_until": r.effective_until
                        and r.effective_until.isoformat(),
                        "citation": r.citation,
                        "source_url": r.source_url,
                        "tier": r.tier,
                        "verified_on": r.verified_on.isoformat(),
                        "note": r.note,
                    }
                    for r in item.rules
                ],
                "calendars": [
                    {
                        "name": c.name,
                        "title": c.title,
                        "covers": [c.first_year, c.last_year],
                        "source": c.source,
                    }
                    for c in item.calendars
                ],
            }
            for item in found
        ]
        out.print_json(json.dumps(data))
        return
    for item in found:
        out.print(plain(f"{item.region}  ({', '.join(item.zones)})", style="bold"))
        if not item.rules:
            out.print(plain("  no rule in the packs", style="yellow"))
        for r in item.rules:
            dates = ""
            if r.effective_from or r.effective_until:
                dates = (
                    f", in force {r.effective_from or '…'} to "
                    f"{r.effective_until or '…'}"
                )
            out.print(
                plain(f"  {r.id} [{', '.join(sorted(r.purposes))}]: {hours_text(r)}")
            )
            out.print(
                plain(
                    f"    {r.citation} — {r.tier}, verified {r.verified_on}"
                    f"{dates}; {r.source_url}",
                    style="dim",
                )
            )
            for cap in r.caps:
                out.print(plain(f"    cap (not checked): {cap}", style="dim"))
            if r.note:
                out.print(plain(f"    note: {r.note}", style="dim"))
        for c in item.calendars:
            out.print(
                plain(
                    f"  calendar {c.name}: {c.title}; covers {c.first_year}–"
                    f"{c.last_year} ({c.source})",
                    style="dim",
                )
            )
    out.print(
        plain(
            "Research, not legal advice: check each rule against its source "
            "(docs/compliance.md).",
            style="yellow",
        )
    )


def register(app: typer.Typer) -> None:
    """Add `gcsched rules` to `app`."""
    app.add_typer(rules_app, name="rules")

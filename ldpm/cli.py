"""The ``ldpm`` command.

``ldpm [FILE]``           open the window (no file: the welcome screen)
``ldpm --demo``           open the demo project
``ldpm new PATH [--demo]`` write a new project file, without a window
``ldpm check PATH...``    validate project files: one line each; exit 0 if all are valid
``ldpm sync PATH [--folder DIR | --webdav URL --user NAME [--allow-http]]``  one sync, no
window
``ldpm import PATH --kind items|people|measurements [--initiative NAME] FILE``  import a CSV or
XLSX file (exit 1, with the bad rows listed, if any row is rejected: nothing is written)
``ldpm export PATH --kind items|stakeholders|metrics|measurements --initiative NAME FILE``
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ldpm import __version__

if TYPE_CHECKING:
    from ldpm.services.project import Project

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _new(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="ldpm new", description="Write a new LDPM project file without opening a window."
    )
    parser.add_argument("path", type=Path, help="where to write the project (.ldpm)")
    parser.add_argument("--demo", action="store_true", help="fill it with the demo scenario")
    parser.add_argument("--name", help="the workspace name (default: the file name)")
    args = parser.parse_args(argv)
    from ldpm.services.project import Project, user_message

    path: Path = args.path
    if path.suffix.lower() != ".ldpm":
        path = path.with_suffix(".ldpm")
    if path.exists():
        print(f"{path}: already exists; choose another name or delete it first.", file=sys.stderr)
        return EXIT_INVALID
    populate = None
    if args.demo:
        from ldpm.services.demo import populate_demo

        populate = populate_demo
    name = args.name or ("Northwind Engineering" if args.demo else None)
    try:
        Project.create_file(path, name=name, populate=populate)
    except Exception as exc:
        sentence = user_message(exc)
        if sentence is None:
            raise
        print(f"{path}: {sentence}", file=sys.stderr)
        return EXIT_INVALID
    print(f"{path}: created")
    return EXIT_OK


def _check(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="ldpm check",
        description="Validate LDPM project files without changing them. Prints one line per "
        "file; exits 0 when all are valid, 1 otherwise.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    args = parser.parse_args(argv)
    from ldpm.services.project import FileProblem, check_file

    status = EXIT_OK
    for path in args.paths:
        try:
            info = check_file(path)
        except FileProblem as problem:
            print(f"{path}: INVALID — {problem.sentence}")
            status = EXIT_INVALID
        else:
            print(
                f"{path}: OK — project {info.project_uuid}, schema {info.schema_version}, "
                f"saved {info.saved_at or 'never'} by LDPM {info.app_version}"
            )
            for found in info.over_limit:
                print(
                    f"  note: {found.message} ({found.table} {found.row_id}, {found.field}); "
                    "it opens and the value is kept."
                )
    return status


def _sync(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="ldpm sync",
        description="Sync a project once with a shared folder or a WebDAV server, without a "
        "window: merge everyone's copies into it, publish its changes, save it. Exit 0 on "
        "success, 1 with one sentence on stderr otherwise.",
    )
    parser.add_argument("path", type=Path, help="the project file (.ldpm)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--folder", type=Path, help="a shared folder (OneDrive, Dropbox, a share…)")
    where.add_argument("--webdav", metavar="URL", help="a WebDAV folder URL (https://)")
    parser.add_argument("--user", help="the WebDAV user name")
    parser.add_argument(
        "--allow-http",
        action="store_true",
        help="allow a plain http:// WebDAV address of another computer: the password and the "
        "project travel unencrypted",
    )
    args = parser.parse_args(argv)
    if args.webdav and not args.user:
        parser.error("--webdav needs --user")
    from ldpm.services import sync as svc
    from ldpm.services.project import Project, user_message

    try:
        project = Project.open(args.path)
    except Exception as exc:
        sentence = user_message(exc)
        if sentence is None:
            raise
        print(f"{args.path}: {sentence}", file=sys.stderr)
        return EXIT_INVALID
    try:
        saved_settings = svc.load_settings(project)
        settings = saved_settings
        if args.folder:
            settings = svc.SyncSettings(kind="folder", folder=str(args.folder.absolute()))
        elif args.webdav:
            host = svc.needs_plain_http_consent(args.webdav)
            settings = svc.SyncSettings(
                kind="webdav",
                url=args.webdav,
                user=args.user,
                plain_http_host=host if args.allow_http else "",
            )
        if (settings.kind, settings.folder, settings.url) == (
            saved_settings.kind,
            saved_settings.folder,
            saved_settings.url,
        ):
            settings.sync_folder = saved_settings.sync_folder
        password = None
        if settings.kind == "webdav" and svc.credentials.get(settings.url, settings.user) is None:
            password = os.environ.get("LDPM_SYNC_PASSWORD")
            if password is None and sys.stdin.isatty():
                import getpass

                password = getpass.getpass(f"Password for {settings.user} on {settings.url}: ")
        failure: Exception | None = None
        try:
            target = svc.make_target(settings, project, password)
            report = svc.run_sync(project, target)
        except (svc.SyncError, svc.TargetError, svc.SyncCancelled) as exc:
            partial = svc.partial_report(exc)
            if partial is None or not partial.merged:  # nothing from elsewhere: file untouched
                print(f"{args.path}: {exc}", file=sys.stderr)
                return EXIT_INVALID
            report, failure = partial, exc  # record what was merged before the failure
        else:
            svc.save_settings(project, settings, password)
        svc.finish_sync(project, report)
        svc.leave(target, project.document.clock.device)  # done: nobody has it open here
        if project.unsaved:
            try:
                project.save()
            except Exception as exc:
                sentence = user_message(exc)
                if sentence is None:
                    raise
                print(f"{args.path}: {sentence}", file=sys.stderr)
                return EXIT_INVALID
        pending = svc.pending_reviews(project)
        if failure is not None:
            print(
                f"{args.path}: {svc.failure_summary(report, str(failure), pending)}",
                file=sys.stderr,
            )
            return EXIT_INVALID
        print(f"{args.path}: {report.summary(pending)}")
        if report.merged:
            print(f"  merged: {', '.join(report.merged)}")
        print(f"  conflicts logged: {report.result.conflicts}; waiting for review: {pending}")
        return EXIT_OK
    finally:
        project.close(discard_unsaved=True)


def _open_project(path: Path) -> Project | None:
    """The project at ``path``, or None after printing why it cannot be opened."""
    from ldpm.services.project import Project, user_message

    try:
        return Project.open(path)
    except Exception as exc:
        sentence = user_message(exc)
        if sentence is None:
            raise
        print(f"{path}: {sentence}", file=sys.stderr)
        return None


def _initiative_id(project: Project, name: str | None) -> str | None:
    """The id of the initiative called ``name`` (case does not matter).  Raises
    :class:`_Usage` with a sentence if there is none."""
    if name is None:
        return None
    from ldpm.services import initiatives

    found = [
        i for i in initiatives.list_initiatives(project) if i.name.casefold() == name.casefold()
    ]
    if not found:
        names = ", ".join(f"“{i.name}”" for i in initiatives.list_initiatives(project))
        raise _Usage(f"There is no initiative called “{name}”. The initiatives are: {names}.")
    return found[0].id


class _Usage(Exception):
    pass


def _import(argv: Sequence[str]) -> int:
    from ldpm.services import exchange as svc
    from ldpm.services.exchange_kinds import KINDS, normalise

    parser = argparse.ArgumentParser(
        prog="ldpm import",
        description="Import backlog items, people or measurements from a CSV or Excel (.xlsx) "
        "file into a project, and save it. Every row is checked first: if any is rejected, the "
        "bad rows are listed, nothing is written and the exit status is 1. Columns are mapped "
        "as they were the last time a file with these columns was imported, or from their "
        "names; --map and --set change that.",
    )
    parser.add_argument("path", type=Path, help="the project file (.ldpm)")
    parser.add_argument("file", type=Path, help="the CSV or XLSX file to import")
    parser.add_argument("--kind", required=True, choices=sorted(KINDS), help="what the rows are")
    parser.add_argument(
        "--initiative", metavar="NAME", help="the initiative (needed for items and measurements)"
    )
    parser.add_argument("--sheet", help="the sheet of a workbook (default: the first)")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="fill FIELD from COLUMN (FIELD 'ignore' leaves the column out); repeatable",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="give every row the same VALUE for FIELD; repeatable",
    )
    parser.add_argument("--source", help="the source's name, for external ids (e.g. Jira)")
    parser.add_argument(
        "--dates",
        choices=("day-first", "month-first"),
        help="how to read dates like 03/04/2025 (default: decided by the file)",
    )
    parser.add_argument("--check", action="store_true", help="only check the file; write nothing")
    args = parser.parse_args(argv)
    kind = KINDS[args.kind]
    if kind.needs_initiative and not args.initiative:
        parser.error(f"--kind {args.kind} needs --initiative NAME")
    try:
        table = svc.open_file(args.file, args.sheet)
    except svc.ExchangeProblem as problem:
        print(f"{args.file}: {problem.sentence}", file=sys.stderr)
        return EXIT_INVALID
    project = _open_project(args.path)
    if project is None:
        return EXIT_INVALID
    from ldpm.ui.labels import label

    try:
        settings = svc.suggest(table, args.kind, _initiative_id(project, args.initiative))
        targets = {normalise(t.key): t.key for t in kind.targets}
        targets |= {normalise(t.label): t.key for t in kind.targets}
        headers = {h.casefold(): h for h in table.headers}
        for item in args.map:
            column, _, field = item.rpartition("=")
            header = headers.get(column.strip().casefold())
            if header is None:
                raise _Usage(f"“{args.file.name}” has no column called “{column}”.")
            if normalise(field) == "ignore":
                settings.columns.pop(header, None)
                continue
            key = targets.get(normalise(field))
            if key is None:
                raise _Usage(f"There is no field “{field}” to import {kind.plural} into.")
            settings.columns = {h: k for h, k in settings.columns.items() if k != key}
            settings.columns[header] = key
        for item in args.set:
            field, _, value = item.partition("=")
            key = targets.get(normalise(field))
            if key is None:
                raise _Usage(f"There is no field “{field}” to import {kind.plural} into.")
            settings.constants[key] = value
        if args.source:
            settings.source = args.source
        if args.dates:
            settings.dayfirst = args.dates == "day-first"
        check = svc.check_import(project, table, settings, labeler=label)
        for note in check.notes:
            print(f"{args.file}: {note}")
        if not check.ok:
            if check.problem:
                print(f"{args.file}: {check.problem} Nothing was imported.", file=sys.stderr)
                return EXIT_INVALID
            s = "s" if check.bad_count != 1 else ""
            print(
                f"{args.file}: {check.bad_count:,} bad row{s}; nothing was imported.",
                file=sys.stderr,
            )
            for bad in check.bad:
                print(f"  {bad.sentence}", file=sys.stderr)
            if check.bad_count > len(check.bad):
                print(f"  … and {check.bad_count - len(check.bad):,} more.", file=sys.stderr)
            return EXIT_INVALID
        if args.check:
            print(f"{args.file}: OK — {check.summary()} Nothing was written (--check).")
            return EXIT_OK
        done, _command = svc.import_now(project, table, settings, labeler=label, checked=check)
        if project.unsaved:
            project.save()
        print(f"{args.path}: {done.done_sentence(table.name)}")
        return EXIT_OK
    except _Usage as usage:
        print(f"{args.path}: {usage}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        from ldpm.services.project import user_message

        sentence = user_message(exc)
        if sentence is None:
            raise
        print(f"{args.file}: {sentence}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        project.close(discard_unsaved=True)


def _export(argv: Sequence[str]) -> int:
    from ldpm.services import exchange_export as svc

    parser = argparse.ArgumentParser(
        prog="ldpm export",
        description="Export an initiative's backlog items, stakeholders, metrics or "
        "measurements to a CSV (UTF-8) or Excel (.xlsx) file, chosen by FILE's suffix.",
    )
    parser.add_argument("path", type=Path, help="the project file (.ldpm)")
    parser.add_argument("file", type=Path, help="the file to write (.csv or .xlsx)")
    parser.add_argument("--kind", required=True, choices=sorted(svc.EXPORTS))
    parser.add_argument("--initiative", required=True, metavar="NAME")
    parser.add_argument(
        "--private-notes",
        action="store_true",
        help="include stakeholders' private notes (left out by default)",
    )
    args = parser.parse_args(argv)
    if args.file.suffix.lower() not in svc.FORMATS:
        parser.error("FILE must end in .csv or .xlsx")
    project = _open_project(args.path)
    if project is None:
        return EXIT_INVALID
    from ldpm.services.project import user_message
    from ldpm.ui.labels import label

    try:
        initiative_id = _initiative_id(project, args.initiative)
        assert initiative_id is not None
        table = svc.export_table(
            project, args.kind, initiative_id, private_notes=args.private_notes, labeler=label
        )
        written = svc.write_export(args.file, table)
    except _Usage as usage:
        print(f"{args.path}: {usage}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        sentence = user_message(exc)
        if sentence is None:
            raise
        print(f"{args.file}: {sentence}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        project.close(discard_unsaved=True)
    print(f"{args.file}: {written:,} rows written")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "import":
        return _import(args[1:])
    if args and args[0] == "export":
        return _export(args[1:])
    if args and args[0] == "new":
        return _new(args[1:])
    if args and args[0] == "check":
        return _check(args[1:])
    if args and args[0] == "sync":
        return _sync(args[1:])
    parser = argparse.ArgumentParser(
        prog="ldpm",
        description="LDPM — run learning initiatives the way product managers run products.",
        epilog="Other commands: 'ldpm new PATH [--demo]', 'ldpm check PATH...', "
        "'ldpm sync PATH [--folder DIR | --webdav URL --user NAME [--allow-http]]', "
        "'ldpm import PATH --kind KIND [--initiative NAME] FILE' and "
        "'ldpm export PATH --kind KIND --initiative NAME FILE'.",
    )
    parser.add_argument("file", nargs="?", help="a project file (.ldpm) to open")
    parser.add_argument("--demo", action="store_true", help="open the demo project")
    parser.add_argument("--version", action="version", version=f"LDPM {__version__}")
    ns = parser.parse_args(args)
    if ns.file and ns.demo:
        parser.error("give a file or --demo, not both")
    from ldpm.ui.app import run

    return run(ns.file, demo=ns.demo)

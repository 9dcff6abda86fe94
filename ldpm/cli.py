"""The ``ldpm`` command.

``ldpm [FILE]``           open the window (no file: the welcome screen)
``ldpm --demo``           open the demo project
``ldpm new PATH [--demo]`` write a new project file, without a window
``ldpm check PATH...``    validate project files: one line each; exit 0 if all are valid
``ldpm sync PATH [--folder DIR | --webdav URL --user NAME [--allow-http]]``  one sync, no
window
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ldpm import __version__

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


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "new":
        return _new(args[1:])
    if args and args[0] == "check":
        return _check(args[1:])
    if args and args[0] == "sync":
        return _sync(args[1:])
    parser = argparse.ArgumentParser(
        prog="ldpm",
        description="LDPM — run learning initiatives the way product managers run products.",
        epilog="Other commands: 'ldpm new PATH [--demo]', 'ldpm check PATH...' and "
        "'ldpm sync PATH [--folder DIR | --webdav URL --user NAME [--allow-http]]'.",
    )
    parser.add_argument("file", nargs="?", help="a project file (.ldpm) to open")
    parser.add_argument("--demo", action="store_true", help="open the demo project")
    parser.add_argument("--version", action="version", version=f"LDPM {__version__}")
    ns = parser.parse_args(args)
    if ns.file and ns.demo:
        parser.error("give a file or --demo, not both")
    from ldpm.ui.app import run

    return run(ns.file, demo=ns.demo)

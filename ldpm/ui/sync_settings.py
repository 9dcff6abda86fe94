"""The sync settings dialog: a shared folder or a WebDAV server for the open project.

The password goes to the system keyring through the service, never to a file.  An ``http://``
address of another computer needs the user's explicit consent, given per host with a checkbox
that says what it costs: the password and the project travel unencrypted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ldpm.services import sync as sync_svc

if TYPE_CHECKING:
    from ldpm.services.project import Project


class SyncSettingsDialog(QDialog):
    """Choose a shared folder or a WebDAV server for the project.  The password goes to the
    system keyring through the service, never to a file."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("Sync Settings"))
        self.setAccessibleName(self.tr("Sync settings"))
        self.setMinimumWidth(520)
        current = sync_svc.load_settings(project)
        self._current = current
        self._has_password = bool(
            current.kind == "webdav"
            and current.url
            and current.user
            and sync_svc.credentials.get(current.url, current.user)
        )

        intro = QLabel(
            self.tr(
                "Keep this project in step with other computers through a folder that a sync "
                "client shares (OneDrive, Dropbox, a network drive) or a WebDAV server."
            )
        )
        intro.setWordWrap(True)

        self.folder_choice = QRadioButton(self.tr("Shared &folder"))
        self.folder_choice.setAccessibleName(self.tr("Sync through a shared folder"))
        self.webdav_choice = QRadioButton(self.tr("&WebDAV server"))
        self.webdav_choice.setAccessibleName(self.tr("Sync through a WebDAV server"))
        self.choices = QButtonGroup(self)
        self.choices.addButton(self.folder_choice)
        self.choices.addButton(self.webdav_choice)

        self.folder = QLineEdit(current.folder)
        self.folder.setAccessibleName(self.tr("Shared folder"))
        self.folder.setPlaceholderText(self.tr("A folder your sync client shares"))
        self.browse = QPushButton(self.tr("&Browse…"))
        self.browse.setAccessibleName(self.tr("Browse for the shared folder"))
        self.browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)

        self.url = QLineEdit(current.url)
        self.url.setAccessibleName(self.tr("WebDAV address"))
        self.url.setPlaceholderText("https://cloud.example.com/remote.php/dav/files/me/LDPM")
        self.user = QLineEdit(current.user)
        self.user.setAccessibleName(self.tr("WebDAV user name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("WebDAV password"))
        self.password.setPlaceholderText(
            self.tr("Kept in the system keyring — leave empty to keep it")
            if self._has_password
            else self.tr("Kept in the system keyring")
        )

        form = QFormLayout()
        form.addRow(self.folder_choice)
        form.addRow(self.tr("Folder:"), folder_row)
        form.addRow(self.webdav_choice)
        form.addRow(self.tr("Address:"), self.url)
        form.addRow(self.tr("User name:"), self.user)
        form.addRow(self.tr("Password:"), self.password)

        self.allow_http = QCheckBox(self.tr("Allow plain &http for this server"))
        self.allow_http.setAccessibleName(self.tr("Allow plain http for this server"))
        self.allow_http.setChecked(
            bool(current.plain_http_host)
            and sync_svc.needs_plain_http_consent(current.url).lower()
            == current.plain_http_host.lower()
        )
        self.http_warning = QLabel(
            self.tr(
                "This address starts with http://: the password and the project travel "
                "unencrypted, readable by anyone on the network. Use https:// if the server "
                "offers it; allow plain http only on a network you trust."
            )
        )
        self.http_warning.setWordWrap(True)
        self.http_warning.setAccessibleName(self.tr("Why plain http is risky"))
        form.addRow(self.allow_http)
        form.addRow(self.http_warning)
        self._webdav_fields = (self.url, self.user, self.password, self.allow_http)
        self.url.textChanged.connect(self._update_enabled)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Problem with the sync settings"))
        self.error.setStyleSheet("color: palette(link); font-weight: bold;")
        self.error.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        (self.webdav_choice if current.kind == "webdav" else self.folder_choice).setChecked(True)
        self.folder_choice.toggled.connect(self._update_enabled)
        self._update_enabled()
        #: Set after OK if the password could only be kept for this run.
        self.notice = ""

    def _update_enabled(self) -> None:
        folder = self.folder_choice.isChecked()
        self.folder.setEnabled(folder)
        self.browse.setEnabled(folder)
        for widget in self._webdav_fields:
            widget.setEnabled(not folder)
        plain = not folder and bool(sync_svc.needs_plain_http_consent(self.url.text()))
        self.allow_http.setVisible(plain)
        self.http_warning.setVisible(plain)

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the Shared Folder"), self.folder.text()
        )
        if name:
            self.folder.setText(name)

    def settings(self) -> sync_svc.SyncSettings:
        if self.folder_choice.isChecked():
            return sync_svc.SyncSettings(kind="folder", folder=self.folder.text().strip())
        url = self.url.text().strip()
        host = sync_svc.needs_plain_http_consent(url)
        return sync_svc.SyncSettings(
            kind="webdav",
            url=url,
            user=self.user.text().strip(),
            plain_http_host=host if host and self.allow_http.isChecked() else "",
        )

    def problem(self) -> tuple[str, QWidget] | None:
        """The first missing field, as a sentence, and the field to go to."""
        s = self.settings()
        if s.kind == "folder":
            if not s.folder:
                return self.tr("Choose the shared folder to sync through."), self.folder
            return None
        if not s.url:
            return self.tr("Enter the address of the WebDAV server."), self.url
        if not s.url.lower().startswith(("https://", "http://")):
            return self.tr("The WebDAV address should start with https://."), self.url
        if sync_svc.needs_plain_http_consent(s.url) and not s.plain_http_host:
            return (
                self.tr(
                    "This address starts with http://, so the password and the project would "
                    "travel unencrypted. Use https://, or tick “Allow plain http for this "
                    "server” if you trust the network."
                ),
                self.allow_http,
            )
        if not s.user:
            return self.tr("Enter your user name on the WebDAV server."), self.user
        if not self.password.text() and not self._has_password:
            return self.tr("Enter your password for the WebDAV server."), self.password
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem is not None:
            sentence, widget = problem
            self.error.setText(sentence)
            self.error.show()
            widget.setFocus()
            return
        settings = self.settings()
        old = self._current
        if (settings.kind, settings.folder, settings.url) == (old.kind, old.folder, old.url):
            settings.sync_folder = old.sync_folder  # same place: where the folder was found
        password = self.password.text() if settings.kind == "webdav" else None
        try:
            sync_svc.save_settings(self.project, settings, password or None)
        except OSError as exc:
            self.error.setText(
                self.tr("LDPM could not save the sync settings: {reason}").format(
                    reason=exc.strerror or exc
                )
            )
            self.error.show()
            return
        self.password.clear()
        self.notice = sync_svc.credentials.notice if password else ""
        super().accept()

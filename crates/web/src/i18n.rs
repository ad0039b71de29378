//! The message catalogue of the user interface: German first, English second.
//!
//! A deliberately simple static table ([`CATALOGUE`]): one line per key with the German and
//! the English text. Words of the domain (statuses, life domains, reasons, …) are not here:
//! they come from core's [`Labelled::label`](wegbereiter_core::Labelled::label), and refused
//! rules from [`DomainError::message`](wegbereiter_core::DomainError::message). A unit test
//! checks that every key used in a template or in the code exists, so a missing text is a
//! test failure, not a blank on the page.

use wegbereiter_core::Lang;

/// The catalogue in the page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Lang);

impl Tr {
    /// The text for `key`; the key itself if it is missing (which a test prevents).
    #[must_use]
    pub fn t(&self, key: &str) -> &'static str {
        match CATALOGUE.iter().find(|(k, _, _)| *k == key) {
            Some((_, de, en)) => {
                if self.0 == Lang::De {
                    de
                } else {
                    en
                }
            }
            None => "\u{2047}",
        }
    }
}

impl Tr {
    /// The text for `key` if the catalogue has it (for keys made from data, e.g. audit
    /// actions, where the raw value is the fallback).
    #[must_use]
    pub fn lookup(&self, key: &str) -> Option<&'static str> {
        CATALOGUE
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, de, en)| if self.0 == Lang::De { *de } else { *en })
    }
}

/// Key, German, English.
pub static CATALOGUE: &[(&str, &str, &str)] = &[
    // CATALOGUE-START
    ("account.actions", "Aktionen", "Actions"),
    ("account.create", "Token anlegen", "Create token"),
    ("account.created", "Angelegt", "Created"),
    (
        "account.days",
        "Gültig für Tage (1–365)",
        "Valid for days (1–365)",
    ),
    ("account.expires", "Läuft ab", "Expires"),
    (
        "account.new_token",
        "Neues Zugangstoken",
        "New access token",
    ),
    (
        "account.no_tokens",
        "Sie haben noch kein Zugangstoken.",
        "You have no access token yet.",
    ),
    (
        "account.password",
        "Ihr Passwort (zur Bestätigung)",
        "Your password (to confirm)",
    ),
    (
        "account.password_wrong",
        "Das Passwort ist falsch; es wurde kein Token angelegt.",
        "The password is wrong; no token was created.",
    ),
    ("account.revoke", "Widerrufen", "Revoke"),
    (
        "account.revoked",
        "Das Zugangstoken ist widerrufen.",
        "The access token is revoked.",
    ),
    (
        "account.scope",
        "Darf in der JSON-API (Ihre Rolle entscheidet weiterhin)",
        "May in the JSON API (your role still decides)",
    ),
    (
        "account.scope.admin",
        "lesen, Fälle bearbeiten und verwalten",
        "read, work on cases and administer",
    ),
    ("account.scope.read", "nur lesen", "read only"),
    (
        "account.scope.write",
        "lesen und Fälle bearbeiten",
        "read and work on cases",
    ),
    (
        "account.scope_invalid",
        "Bitte einen der angebotenen Umfänge wählen.",
        "Please choose one of the scopes offered.",
    ),
    (
        "account.secret_once",
        "Kopieren Sie das Token jetzt: Es wird nur dieses eine Mal angezeigt und ist nirgends gespeichert.",
        "Copy the token now: it is shown only this once and is stored nowhere.",
    ),
    (
        "account.secret_title",
        "Ihr neues Zugangstoken",
        "Your new access token",
    ),
    (
        "account.secret_use",
        "Verwendung auf der Kommandozeile: export WEGBEREITER_TOKEN=… (nie als Argument).",
        "Use on the command line: export WEGBEREITER_TOKEN=… (never as an argument).",
    ),
    ("account.signed_in_as", "Angemeldet als", "Signed in as"),
    ("account.state", "Stand", "State"),
    ("account.state.expired", "abgelaufen", "expired"),
    ("account.state.revoked", "widerrufen", "revoked"),
    ("account.state.valid", "gültig", "valid"),
    ("account.title", "Mein Konto", "My account"),
    ("account.token_name", "Name des Tokens", "Token name"),
    (
        "account.tokens",
        "Persönliche Zugangstokens",
        "Personal access tokens",
    ),
    (
        "account.tokens_intro",
        "Mit einem Zugangstoken melden Sie sich an der Kommandozeile an, ohne Ihr Passwort einzugeben. Es gilt bis zu seinem Ablauf oder bis Sie es widerrufen.",
        "An access token signs you in on the command line without your password. It is valid until it expires or you revoke it.",
    ),
    (
        "admin.create_service",
        "Fachstelle anlegen",
        "Create service",
    ),
    ("admin.create_staff", "Anlegen", "Create"),
    ("admin.create_team", "Team anlegen", "Create team"),
    ("admin.entries", "Einträge", "entries"),
    ("admin.entry", "Eintrag", "entry"),
    (
        "admin.exists",
        "Dieser Name ist bereits vergeben.",
        "This name is already taken.",
    ),
    (
        "admin.intro",
        "Mitarbeitende, Teams und das Fachstellenverzeichnis. Fallinhalte sind hier nicht einsehbar.",
        "Staff, teams and the service directory. Case contents are not visible here.",
    ),
    (
        "admin.new_service",
        "Neue Fachstelle",
        "New specialist service",
    ),
    (
        "admin.new_staff",
        "Neue*n Mitarbeiter*in anlegen",
        "Add a staff member",
    ),
    ("admin.new_team", "Neues Team", "New team"),
    (
        "admin.no_services",
        "Noch keine Fachstellen eingetragen.",
        "No specialist services yet.",
    ),
    (
        "admin.no_teams",
        "Noch keine Teams angelegt.",
        "No teams yet.",
    ),
    ("admin.rename", "Umbenennen", "Rename"),
    ("admin.saved", "Gespeichert.", "Saved."),
    (
        "admin.services",
        "Fachstellenverzeichnis",
        "Service directory",
    ),
    ("admin.staff", "Mitarbeitende", "Staff"),
    (
        "admin.staff_edit",
        "Mitarbeiter*in bearbeiten",
        "Edit staff member",
    ),
    ("admin.teams", "Teams", "Teams"),
    ("admin.title", "Verwaltung", "Administration"),
    (
        "audit.access",
        "Zugriffe auf eine Fallakte",
        "Accesses to a case file",
    ),
    ("audit.action.auth.sign_in", "Anmeldung", "Signed in"),
    (
        "audit.action.auth.sign_in_failed",
        "Anmeldung fehlgeschlagen",
        "Sign-in failed",
    ),
    (
        "audit.action.auth.sign_in_throttled",
        "Anmeldung gesperrt (zu viele Versuche)",
        "Sign-in blocked (too many attempts)",
    ),
    ("audit.action.auth.sign_out", "Abmeldung", "Signed out"),
    (
        "audit.action.group_session.saved",
        "Gruppentermin gespeichert",
        "Group session saved",
    ),
    (
        "audit.action.service.saved",
        "Fachstelle gespeichert",
        "Service saved",
    ),
    (
        "audit.action.staff.password_set",
        "Passwort gesetzt",
        "Password set",
    ),
    (
        "audit.action.staff.saved",
        "Mitarbeitende*r gespeichert",
        "Staff member saved",
    ),
    ("audit.action.team.saved", "Team gespeichert", "Team saved"),
    (
        "audit.action.installation.retention_set",
        "Aufbewahrungsfristen geändert",
        "Retention rules changed",
    ),
    (
        "audit.action.case.erased",
        "Fall gelöscht (Löschvermerk)",
        "Case erased (tombstone)",
    ),
    (
        "audit.action.case.content_erased",
        "Inhalte eines Falls gelöscht",
        "Case content erased",
    ),
    (
        "audit.action.case.restricted",
        "Verarbeitung eines Falls eingeschränkt",
        "Case processing restricted",
    ),
    ("nav.privacy", "Löschplan", "Retention"),
    (
        "privacy.export",
        "Auskunft nach Art. 15 DSGVO",
        "Access export (Art. 15 GDPR)",
    ),
    (
        "privacy.export_intro",
        "Alles, was über die Person eines Falls gespeichert ist, über alle ihre Fälle (gleicher Name und gleiches Geburtsdatum), auch eingeschränkte: Verlauf, wer die Akte gelesen hat, Aufbewahrungsfristen. Als JSON-Datei; ein lesbares Dokument erstellt wegbereiter privacy export.",
        "Everything stored about the person of a case, across all their cases (same name and date of birth), restricted ones included: history, who read the file, retention dates. As a JSON file; wegbereiter privacy export makes a readable document.",
    ),
    ("privacy.export_case", "Fall-ID", "Case id"),
    (
        "privacy.request",
        "Antrag auf Löschung oder Einschränkung",
        "Request of erasure or restriction",
    ),
    (
        "privacy.request_intro",
        "Für den Antrag einer Person (Art. 17 oder 18 DSGVO): Die nächste Seite zeigt, was mit dem Fall geschähe, und fragt nach der Bestätigung. Als Grund nur Datum und Form des Antrags eintragen, keine Gesundheits- oder Falldetails: der Grund wird gespeichert.",
        "For a person's request (Art. 17 or 18 GDPR): the next page shows what would happen to the case and asks for a confirmation. As the reason give only the request's date and form, no health or case details: the reason is stored.",
    ),
    ("privacy.request_kind", "Art des Antrags", "Kind of request"),
    (
        "privacy.request_erase",
        "Löschung (Art. 17 DSGVO)",
        "Erasure (Art. 17 GDPR)",
    ),
    (
        "privacy.request_restrict",
        "Einschränkung der Verarbeitung (Art. 18 DSGVO)",
        "Restriction of processing (Art. 18 GDPR)",
    ),
    (
        "privacy.request_reason",
        "Grund (Datum und Form des Antrags)",
        "Reason (date and form of the request)",
    ),
    ("privacy.request_submit", "Prüfen", "Check"),
    (
        "privacy.request_kind_missing",
        "Bitte Löschung oder Einschränkung wählen.",
        "Please choose erasure or restriction.",
    ),
    (
        "privacy.request_reason_missing",
        "Bitte den Grund angeben (höchstens 200 Zeichen).",
        "Please give the reason (at most 200 characters).",
    ),
    (
        "privacy.request_erase_title",
        "Löschung auf Antrag ausführen",
        "Carry out the erasure request",
    ),
    (
        "privacy.request_restrict_title",
        "Einschränkung auf Antrag ausführen",
        "Carry out the restriction request",
    ),
    ("privacy.request_case", "Fall", "Case"),
    ("privacy.request_what", "Was geschieht", "What happens"),
    (
        "privacy.request_final",
        "Gelöschtes kann nicht wiederhergestellt werden; im Verlauf bleibt nur der Vermerk der Löschung, im Auditprotokoll ein Grabstein. Wird der ganze Fall gelöscht, wird auch sein Schlüssel vernichtet, sodass seine verschlüsselten Inhalte auch in älteren Sicherungen unlesbar werden.",
        "What is erased cannot be restored; the history keeps only the record of the erasure, the audit log a tombstone. When the whole case is erased, its key is destroyed too, so its encrypted content becomes unreadable in older backups as well.",
    ),
    (
        "privacy.request_confirm",
        "Ich habe den Antrag geprüft und führe ihn aus.",
        "I have checked the request and carry it out.",
    ),
    ("privacy.request_cancel", "Abbrechen", "Cancel"),
    (
        "privacy.register",
        "Betroffenenanträge",
        "Data-protection requests",
    ),
    (
        "privacy.register_intro",
        "Anträge auf Auskunft, Berichtigung, Löschung, Einschränkung, Widerspruch oder Widerruf einer Einwilligung. Die Antwort ist innerhalb eines Monats nach Eingang fällig (Art. 12 Abs. 3 DSGVO); die Frist kann einmal um zwei Monate verlängert werden, solange sie läuft. Eine Löschung oder Einschränkung auf Antrag (unten) vermerkt den offenen Antrag des Falls als erledigt.",
        "Requests for access, rectification, erasure, restriction, objection or withdrawal of a consent. The answer is due one month after receipt (Art. 12(3) GDPR); the period can be extended once by two months while it runs. An erasure or restriction on request (below) records the case's open request as done.",
    ),
    (
        "privacy.register_none",
        "Keine offenen Anträge.",
        "No open requests.",
    ),
    ("privacy.register_received", "Eingang", "Received"),
    ("privacy.register_deadline", "Frist bis", "Due by"),
    ("privacy.register_steps", "Erledigen", "Answer"),
    ("privacy.register_overdue", "überfällig", "overdue"),
    (
        "privacy.register_overdue_by",
        "seit {n} Tagen überfällig",
        "overdue by {n} days",
    ),
    ("privacy.register_left", "noch {n} Tage", "{n} days left"),
    ("privacy.register_was_extended", "verlängert", "extended"),
    (
        "privacy.register_note",
        "Notiz (ohne Gesundheitsangaben)",
        "Note (no health details)",
    ),
    ("privacy.register_reason", "Begründung", "Reason"),
    ("privacy.register_done", "Erledigt", "Done"),
    ("privacy.register_refuse", "Ablehnen", "Refuse"),
    (
        "privacy.register_extend",
        "Frist um zwei Monate verlängern",
        "Extend by two months",
    ),
    ("privacy.register_add", "Antrag erfassen", "Enter a request"),
    ("privacy.register_channel", "Eingangsweg", "Channel"),
    (
        "privacy.register_submit",
        "Antrag erfassen",
        "Enter the request",
    ),
    (
        "privacy.register_added",
        "Antrag zu Fall {case} erfasst; Antwort fällig bis {deadline}.",
        "Request about case {case} entered; answer due by {deadline}.",
    ),
    (
        "privacy.register_extended",
        "Frist für den Antrag zu Fall {case} verlängert bis {deadline}.",
        "Period of the request about case {case} extended to {deadline}.",
    ),
    (
        "privacy.register_completed",
        "Antrag zu Fall {case} als erledigt vermerkt.",
        "Request about case {case} recorded as done.",
    ),
    (
        "privacy.register_refused",
        "Antrag zu Fall {case} als abgelehnt vermerkt.",
        "Request about case {case} recorded as refused.",
    ),
    (
        "privacy.register_unknown",
        "Diesen Antrag gibt es nicht.",
        "There is no such request.",
    ),
    (
        "privacy.register_answered",
        "Offene Anträge als erledigt vermerkt: {n}.",
        "Open requests recorded as done: {n}.",
    ),
    (
        "privacy.request_done",
        "Antrag für Fall {case} ausgeführt ({steps} Schritte).",
        "Request for case {case} carried out ({steps} steps).",
    ),
    (
        "privacy.export_submit",
        "Auskunft herunterladen",
        "Download the export",
    ),
    (
        "privacy.export_bad_id",
        "Bitte die vollständige Fall-ID angeben (wie im Löschplan, z. B. 01a2…-…).",
        "Please give the full case id (as in the retention plan).",
    ),
    (
        "privacy.export_unknown",
        "Einen Fall mit dieser ID gibt es nicht (oder er wurde gelöscht).",
        "There is no case with this id (or it was erased).",
    ),
    ("audit.flags", "Auffällig", "Unusual"),
    (
        "audit.flag.outside",
        "außerhalb der eigenen Teams",
        "outside the reader's teams",
    ),
    ("audit.flag.closed", "nach Fallende", "after the case ended"),
    (
        "audit.flag.many",
        "{n} Akten in {minutes} Minuten",
        "{n} files in {minutes} minutes",
    ),
    ("audit.flag.other", "auffällig", "unusual"),
    ("receipt.column", "Quittung", "Receipt"),
    ("receipt.link", "Quittung drucken", "Print receipt"),
    (
        "receipt.title_given",
        "Bestätigung Ihrer Einwilligung",
        "Confirmation of your consent",
    ),
    (
        "receipt.title_withdrawn",
        "Bestätigung Ihres Widerrufs",
        "Confirmation of your withdrawal",
    ),
    ("receipt.for", "Für", "For"),
    ("receipt.version", "Textfassung", "Text version"),
    (
        "receipt.wording",
        "Wortlaut der Einwilligung",
        "Wording of the consent",
    ),
    (
        "receipt.note_given",
        "Sie können diese Einwilligung jederzeit widerrufen, ohne dass Ihnen ein Nachteil entsteht; bis dahin Geschehenes bleibt rechtmäßig.",
        "You can withdraw this consent at any time without any disadvantage; what happened until then remains lawful.",
    ),
    (
        "receipt.note_withdrawn",
        "Ab dem Widerruf wird für diesen Zweck nichts mehr verarbeitet oder weitergegeben. Sie können die Einwilligung jederzeit neu geben.",
        "From the withdrawal on nothing is processed or passed on for this purpose. You can give the consent again at any time.",
    ),
    (
        "receipt.hint",
        "Drucken Sie diese Seite für die*den Klient*in aus.",
        "Print this page for the client.",
    ),
    ("receipt.printed", "Gedruckt am", "Printed on"),
    (
        "privacy.title",
        "Aufbewahrung und Löschung",
        "Retention and erasure",
    ),
    (
        "privacy.intro",
        "Welche Daten wie lange aufbewahrt werden, und was heute gelöscht oder eingeschränkt werden muss. Fälle erscheinen hier nur mit ihrer Fallnummer.",
        "Which data are kept for how long, and what must be erased or restricted today. Cases appear here by their case number only.",
    ),
    ("privacy.rules", "Aufbewahrungsfristen", "Retention rules"),
    ("privacy.category", "Kategorie", "Category"),
    ("privacy.period", "Frist", "Period"),
    ("privacy.counted_from", "gezählt ab", "counted from"),
    ("privacy.source", "Rechtsgrundlage", "Legal source"),
    (
        "privacy.esf_until",
        "ESF-Aufbewahrung bis (Mitteilung der bewilligenden Stelle)",
        "ESF retention until (notice of the granting body)",
    ),
    (
        "privacy.esf_unknown",
        "noch nicht mitgeteilt",
        "not yet given",
    ),
    ("privacy.due", "Heute fällig", "Due today"),
    ("privacy.upcoming", "Demnächst", "Upcoming"),
    (
        "privacy.none_due",
        "Heute ist nichts zu löschen oder einzuschränken.",
        "Nothing to erase or restrict today.",
    ),
    (
        "privacy.none_upcoming",
        "Keine weiteren Schritte geplant.",
        "No further steps planned.",
    ),
    ("privacy.case", "Fallnummer", "Case number"),
    ("privacy.ended", "beendet", "ended"),
    ("privacy.step", "Schritt", "Step"),
    ("privacy.from", "ab", "from"),
    (
        "privacy.action.erase_case",
        "ganzen Fall löschen",
        "erase the whole case",
    ),
    (
        "privacy.action.erase_content",
        "Inhalte löschen",
        "erase the content",
    ),
    (
        "privacy.action.restrict",
        "Verarbeitung einschränken",
        "restrict processing",
    ),
    (
        "privacy.apply",
        "Fällige Schritte ausführen",
        "Carry out the due steps",
    ),
    (
        "privacy.confirm",
        "Ich habe den Plan geprüft. Gelöschtes lässt sich nicht wiederherstellen.",
        "I have checked the plan. What is erased cannot be restored.",
    ),
    (
        "privacy.confirm_missing",
        "Bitte bestätigen Sie, dass Sie den Plan geprüft haben; es wurde nichts gelöscht.",
        "Please confirm that you have checked the plan; nothing was erased.",
    ),
    (
        "privacy.applied",
        "{steps} Schritte in {cases} Fällen ausgeführt.",
        "{steps} steps carried out in {cases} cases.",
    ),
    (
        "privacy.refused",
        "Nicht ausgeführt für {n} Fälle (inzwischen geändert); sie stehen weiter im Plan.",
        "Not carried out for {n} cases (changed meanwhile); they stay in the plan.",
    ),
    (
        "privacy.staff_erased",
        "{n} deaktivierte Mitarbeiterkonten nach Ablauf ihrer Frist gelöscht (die Kennung bleibt).",
        "{n} deactivated staff accounts erased after their period (the id stays).",
    ),
    (
        "privacy.unavailable",
        "Löschen ist nur mit einer Datenbank möglich.",
        "Erasure needs a database.",
    ),
    (
        "privacy.cli",
        "Auf der Kommandozeile: wegbereiter privacy erase | restrict (Anträge), wegbereiter privacy export (das lesbare Auskunftsdokument).",
        "On the command line: wegbereiter privacy erase | restrict (requests), wegbereiter privacy export (the readable access document).",
    ),
    (
        "audit.action.installation.time_zone_set",
        "Zeitzone der Installation gesetzt",
        "Installation time zone set",
    ),
    ("audit.at", "Zeitpunkt", "When"),
    ("audit.case", "Fallnummer", "Case number"),
    ("audit.client", "Name der*des Klient*in", "Client's name"),
    (
        "audit.changes",
        "Änderungen und Anmeldungen",
        "Changes and sign-ins",
    ),
    (
        "audit.intro",
        "Für die*den Datenschutzbeauftragte*n: wer wann welche Fallakte gesehen und was geändert hat. Fallinhalte werden hier nicht angezeigt.",
        "For the data-protection officer: who saw which case file when, and who changed what. Case contents are not shown here.",
    ),
    (
        "audit.kind_export",
        "Gedruckt/exportiert",
        "Printed/exported",
    ),
    (
        "audit.kind_feedback",
        "Rückmeldung angesehen",
        "Feedback previewed",
    ),
    ("audit.kind_history", "Verlauf angesehen", "History viewed"),
    ("audit.kind_other", "Zugriff", "Access"),
    ("audit.kind_view", "Fallakte angesehen", "Case file viewed"),
    ("audit.none", "Keine Einträge.", "No entries."),
    ("audit.subject", "Betreff", "Subject"),
    ("audit.title", "Protokoll", "Audit log"),
    ("audit.what", "Was", "What"),
    ("audit.who", "Wer", "Who"),
    ("case.client", "Klient*in", "Client"),
    (
        "case.conflict",
        "Der Fall wurde zwischenzeitlich geändert. Ihre Eingaben sind unten erhalten; bitte prüfen Sie den aktuellen Stand und speichern Sie erneut.",
        "The case was changed in the meantime. Your input is kept below; please check the current state and save again.",
    ),
    ("case.key_worker", "Bezugsberater*in", "Key worker"),
    ("case.number", "Fallnummer", "Case number"),
    ("case.phase", "Phase", "Phase"),
    ("case.planned_end", "Geplantes Ende", "Planned end"),
    ("case.ended_on", "Beendet am", "Ended on"),
    ("case.print", "Druckansicht", "Print view"),
    (
        "case.read_only",
        "Sie können diesen Fall lesen, aber nicht bearbeiten: Er ist einer anderen Person zugeordnet.",
        "You can read this case but not change it: it is assigned to someone else.",
    ),
    ("case.saved", "Gespeichert.", "Saved."),
    (
        "case.sections",
        "Bereiche der Fallakte",
        "Sections of the case file",
    ),
    ("case.status", "Status", "Status"),
    ("case.team", "Team", "Team"),
    ("case.title", "Fallakte", "Case file"),
    ("client.address", "Adresse", "Address"),
    ("client.city", "Ort", "City"),
    ("client.date_of_birth", "Geburtsdatum", "Date of birth"),
    ("client.email", "E-Mail", "E-mail"),
    ("client.family_name", "Nachname", "Family name"),
    ("client.gender", "Geschlecht", "Gender"),
    ("client.given_name", "Vorname", "Given name"),
    ("client.name", "Name", "Name"),
    ("client.phone", "Telefon", "Phone"),
    ("client.postcode", "Postleitzahl", "Postcode"),
    (
        "client.street",
        "Straße und Hausnummer",
        "Street and number",
    ),
    ("close.ended_on", "Beendet am", "Ended on"),
    ("close.facts", "Abschluss", "Closure"),
    (
        "close.previous",
        "Frühere Abschlüsse (wieder aufgenommen)",
        "Previous closures (reopened)",
    ),
    (
        "close.hint",
        "Ein Abschluss durch die Person selbst ist freiwillig und ohne Vorwurf. Eine Teamleitung kann innerhalb von {days} Tagen wieder öffnen.",
        "An ending by the person is voluntary and without blame. A team lead can reopen within {days} days.",
    ),
    ("close.on", "Enddatum", "End date"),
    (
        "close.only_enrolled",
        "Abschließen ist nach der Aufnahme möglich; vorher endet ein Fall mit Ablehnung oder „nicht erreicht“ in der aufsuchenden Phase.",
        "Closing is possible after enrolment; before that a case ends with a decline or “not reached” in outreach.",
    ),
    ("close.reason", "Austrittsgrund", "Exit reason"),
    ("close.reopen", "Wieder öffnen", "Reopen"),
    (
        "close.reopen_hint",
        "Innerhalb von {days} Tagen nach dem Ende kann eine Teamleitung den Fall wieder öffnen; danach beginnt eine neue Zuweisung einen neuen Fall.",
        "Within {days} days of the end a team lead can reopen the case; after that a new referral starts a new case.",
    ),
    ("close.reopen_on", "Wieder geöffnet am", "Reopened on"),
    ("close.reopen_submit", "Fall wieder öffnen", "Reopen case"),
    (
        "close.result",
        "Ergebnis innerhalb von 4 Wochen (ESF)",
        "Result within 4 weeks (ESF)",
    ),
    (
        "close.result_unknown",
        "noch nicht bekannt",
        "not known yet",
    ),
    ("close.submit", "Fall abschließen", "Close case"),
    ("close.title", "Fall abschließen", "Close the case"),
    (
        "confirm.afterwards",
        "Was danach möglich bleibt",
        "What stays possible afterwards",
    ),
    ("confirm.cancel", "Abbrechen", "Cancel"),
    ("confirm.change_date", "Datum übernehmen", "Use this date"),
    (
        "confirm.close.title",
        "Fall abschließen?",
        "Close the case?",
    ),
    (
        "confirm.close.yes",
        "Ja, Fall abschließen",
        "Yes, close the case",
    ),
    (
        "confirm.date",
        "Datum und Bestätigung",
        "Date and confirmation",
    ),
    (
        "confirm.decline.title",
        "Angebot abgelehnt?",
        "Offer declined?",
    ),
    (
        "confirm.decline.yes",
        "Ja, Absage eintragen",
        "Yes, record the refusal",
    ),
    (
        "confirm.handover.title",
        "Fall übergeben?",
        "Hand the case over?",
    ),
    ("confirm.handover.yes", "Ja, übergeben", "Yes, hand over"),
    (
        "confirm.missing",
        "Noch ist nichts geschehen: Bitte bestätigen Sie den Schritt mit der Schaltfläche unten.",
        "Nothing has happened yet: please confirm the step with the button below.",
    ),
    (
        "confirm.not_reached.title",
        "Als nicht erreicht abschließen?",
        "Close as not reached?",
    ),
    (
        "confirm.not_reached.yes",
        "Ja, als nicht erreicht abschließen",
        "Yes, close as not reached",
    ),
    ("confirm.open", "Noch offen", "Still open"),
    ("confirm.pause.title", "Pause eintragen?", "Record a pause?"),
    (
        "confirm.pause.yes",
        "Ja, Pause eintragen",
        "Yes, record the pause",
    ),
    ("confirm.title", "Bitte bestätigen", "Please confirm"),
    ("confirm.what", "Was passiert", "What will happen"),
    (
        "confirm.withdraw.title",
        "Widerruf der Einwilligung erfassen?",
        "Record the withdrawal of the consent?",
    ),
    (
        "confirm.withdraw.yes",
        "Ja, Widerruf erfassen",
        "Yes, record the withdrawal",
    ),
    (
        "confirm.next",
        "Weiter zur Bestätigung",
        "Continue to confirmation",
    ),
    ("consent.active", "gültig", "in force"),
    ("consent.form", "Form", "Form"),
    ("consent.given_on", "Erteilt am", "Given on"),
    (
        "consent.new",
        "Weitere Einwilligung erfassen",
        "Record another consent",
    ),
    ("consent.purpose", "Zweck", "Purpose"),
    ("consent.save", "Einwilligung speichern", "Save consent"),
    ("consent.state", "Stand", "State"),
    ("consent.title", "Einwilligungen", "Consents"),
    ("consent.withdraw", "Widerruf erfassen", "Record withdrawal"),
    ("consent.withdrawn", "widerrufen am", "withdrawn on"),
    ("consent.withdrawn_on", "Widerrufen am", "Withdrawn on"),
    ("contact.agreements", "Vereinbarungen", "Agreements"),
    (
        "contact.compartment",
        "Wer darf die Notiz lesen?",
        "Who may read the note?",
    ),
    (
        "contact.share_hint",
        "Ohne Häkchen lesen nur Psycholog*innen diese Notiz.",
        "Unticked, only psychologists read this note.",
    ),
    (
        "contact.share_with_team",
        "Notiz mit dem Fallteam teilen",
        "Share the note with the case team",
    ),
    ("contact.date", "Datum", "Date"),
    (
        "contact.duration",
        "Dauer in Minuten",
        "Duration in minutes",
    ),
    ("contact.kind", "Art", "Kind"),
    (
        "contact.list",
        "Dokumentierte Kontakte",
        "Documented contacts",
    ),
    ("contact.minutes", "Min.", "min"),
    ("contact.new", "Kontakt dokumentieren", "Document a contact"),
    ("contact.next_steps", "Nächste Schritte", "Next steps"),
    (
        "contact.none",
        "Noch keine Kontakte dokumentiert.",
        "No contacts documented yet.",
    ),
    ("contact.note", "Notiz", "Note"),
    ("contact.by", "Dokumentiert von", "Documented by"),
    (
        "contact.participants",
        "Weitere Beteiligte",
        "Other participants",
    ),
    (
        "contact.psych_kind",
        "Psychologischer Bereich",
        "Psychologist compartment",
    ),
    (
        "contact.restricted",
        "Inhalt nur für Psycholog*innen sichtbar.",
        "Content visible to psychologists only.",
    ),
    ("contact.save", "Kontakt speichern", "Save contact"),
    ("contact.topics", "Themen", "Topics"),
    (
        "dash.load_ending",
        "Ende naht oder abgelaufen",
        "Ending or over",
    ),
    (
        "disclosure.hint",
        "Nur unter einer an diesem Tag gültigen Schweigepflichtentbindung. Am besten gibt die Person Unterlagen selbst weiter; dann ist hier nichts zu erfassen.",
        "Only under a secrecy release valid on that day. Preferably the client passes papers on personally; then there is nothing to record here.",
    ),
    (
        "disclosure.information",
        "Was wurde weitergegeben (Art der Angaben)",
        "What was passed on (kinds of information)",
    ),
    ("disclosure.on", "Weitergegeben am", "Passed on on"),
    (
        "disclosure.record",
        "Weitergabe dokumentieren",
        "Record a disclosure",
    ),
    ("disclosure.save", "Weitergabe speichern", "Save disclosure"),
    (
        "disclosure.title",
        "An die Fachstelle weitergegeben",
        "Passed on to the service",
    ),
    ("dash.load_outreach", "Aufsuchend", "Outreach"),
    ("dash.load_phase1", "Phase 1", "Phase 1"),
    ("dash.load_phase2", "Phase 2", "Phase 2"),
    ("dash.load_unassigned", "ohne Bezugsperson", "unassigned"),
    ("dash.my_cases", "Meine Fälle", "My cases"),
    (
        "dash.no_cases",
        "Ihnen sind derzeit keine offenen Fälle zugeordnet.",
        "No open cases are assigned to you.",
    ),
    (
        "dash.no_reminders",
        "Keine Wiedervorlagen fällig.",
        "No reminders due.",
    ),
    (
        "dash.no_unassigned",
        "Keine offenen Zuweisungen.",
        "No open referrals.",
    ),
    ("next.title", "Nächste Schritte", "Next steps"),
    ("toc.label", "Auf dieser Seite", "On this page"),
    (
        "next.none",
        "Gerade ist nichts offen, was Sie in diesem Fall tun können.",
        "Nothing is open that you can do in this case right now.",
    ),
    ("next.more", "Weitere Schritte", "More steps"),
    ("next.last_contact", "Letzter Kontakt", "Last contact"),
    ("next.no_contact", "noch keiner", "none yet"),
    (
        "next.agreed",
        "Dabei vereinbarte nächste Schritte",
        "Next steps agreed then",
    ),
    ("dash.overdue", "überfällig", "overdue"),
    ("dash.reminders_listed", "Wiedervorlagen", "reminders"),
    ("dash.of_them", "davon", "of them"),
    ("dash.reminders", "Wiedervorlagen", "Reminders"),
    ("dash.team_load", "Auslastung im Team", "Team load"),
    ("dash.title", "Übersicht", "Dashboard"),
    (
        "dash.unassigned",
        "Offene Zuweisungen im Team",
        "Open referrals in the team",
    ),
    (
        "dash.unassigned_hint",
        "Fälle Ihrer Teams ohne feste Bezugsperson, meist in der aufsuchenden Phase.",
        "Cases of your teams without an assigned key worker, usually in outreach.",
    ),
    (
        "enrol.consent",
        "Einwilligung in die Fallbearbeitung",
        "Consent to case processing",
    ),
    ("enrol.data_protection", "Datenschutz", "Data protection"),
    (
        "enrol.hint",
        "Am Tag der Aufnahme: Teilnahmebedingungen erläutern, Einwilligung in die Fallbearbeitung einholen, Bezugsberater*in festlegen. Die Bezugsberatung läuft dann 3 Monate.",
        "On the day of enrolment: explain the participation terms, obtain consent to case processing, assign a key worker. The key-worker period then runs for 3 months.",
    ),
    ("enrol.hygiene", "Hygieneregeln", "Hygiene rules"),
    ("enrol.on", "Aufnahmedatum", "Enrolment date"),
    ("enrol.submit", "Aufnehmen", "Enrol"),
    (
        "enrol.terms",
        "Teilnahmebedingungen erläutert",
        "Participation terms explained",
    ),
    (
        "enrol.terms_done",
        "Hygieneregeln und Datenschutz erläutert",
        "Hygiene rules and data protection explained",
    ),
    ("enrol.title", "Aufnahme in die Bezugsberatung", "Enrolment"),
    (
        "err.bad_request.text",
        "Die Anfrage konnte nicht verarbeitet werden. Bitte versuchen Sie es noch einmal.",
        "The request could not be processed. Please try again.",
    ),
    (
        "err.bad_request.title",
        "Anfrage nicht verständlich",
        "Request not understood",
    ),
    (
        "err.csrf.text",
        "Das Formular war nicht mehr gültig (zum Beispiel nach einer Abmeldung oder in einem alten Tab). Bitte laden Sie die Seite neu und senden Sie es noch einmal ab. Es wurde nichts gespeichert.",
        "The form was no longer valid (for example after signing out or in an old tab). Please reload the page and submit it again. Nothing was saved.",
    ),
    ("err.csrf.title", "Formular abgelaufen", "Form expired"),
    (
        "err.forbidden.text",
        "Mit Ihrer Rolle ist diese Seite nicht zugänglich. Wenden Sie sich bei Fragen an Ihre Teamleitung.",
        "Your role does not give access to this page. Please ask your team lead if in doubt.",
    ),
    ("err.forbidden.title", "Kein Zugriff", "No access"),
    (
        "err.internal.text",
        "Das hätte nicht passieren dürfen. Bitte versuchen Sie es noch einmal; wenn es wieder auftritt, melden Sie es der Administration.",
        "This should not have happened. Please try again; if it happens again, tell your administrator.",
    ),
    (
        "err.internal.title",
        "Ein Fehler ist aufgetreten",
        "Something went wrong",
    ),
    (
        "err.not_found.text",
        "Diese Seite gibt es nicht oder nicht mehr. Vielleicht war der Link veraltet.",
        "This page does not exist (any more). The link may have been out of date.",
    ),
    (
        "err.not_found.title",
        "Seite nicht gefunden",
        "Page not found",
    ),
    ("err.to_dashboard", "Zur Übersicht", "To the dashboard"),
    ("err.to_login", "Zur Anmeldung", "To sign-in"),
    (
        "err.unavailable.text",
        "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten noch einmal.",
        "The database cannot be reached right now. Please try again in a few minutes.",
    ),
    (
        "err.unavailable.title",
        "Vorübergehend nicht erreichbar",
        "Temporarily unavailable",
    ),
    ("esf.citizenship", "Staatsangehörigkeit", "Citizenship"),
    ("esf.disability", "Behinderung", "Disability"),
    (
        "esf.edit",
        "Eintrittsdaten erfassen oder ändern",
        "Record or change entry data",
    ),
    (
        "esf.education",
        "Höchster Bildungsabschluss",
        "Highest qualification",
    ),
    ("esf.employment", "Erwerbsstatus", "Employment status"),
    ("esf.foreign", "Ausländische Herkunft", "Foreign background"),
    (
        "esf.rural",
        "Wohnort in ländlichem Gebiet",
        "Lives in a rural area",
    ),
    (
        "esf.rural_hint",
        "Vorschlag nach der Postleitzahl aus der Tabelle der Einrichtung; bitte prüfen. Quelle:",
        "Suggested from the postcode by the installation's table; please check. Source:",
    ),
    (
        "esf.rural_no_table",
        "Die Einrichtung hat keine Tabelle der ländlichen Postleitzahlen geladen: bitte nach dem Wohnort einschätzen oder „keine Angabe“.",
        "The installation has loaded no table of rural postcodes: estimate by the place of residence, or choose “no answer”.",
    ),
    (
        "esf.homeless",
        "Obdachlos oder von Wohnungslosigkeit betroffen",
        "Homeless or excluded from housing",
    ),
    (
        "esf.long_term",
        "Länger als 12 Monate arbeitslos",
        "Unemployed for more than 12 months",
    ),
    ("esf.minority", "Minderheit", "Minority"),
    (
        "esf.missing",
        "Noch nicht erfasst (fällig {days} Tage nach Aufnahme).",
        "Not recorded yet (due {days} days after enrolment).",
    ),
    ("esf.save", "Eintrittsdaten speichern", "Save entry data"),
    (
        "esf.title",
        "ESF-Plus-Eintrittsdaten",
        "ESF Plus entry data",
    ),
    ("fb.attempts", "Kontaktversuche", "Contact attempts"),
    (
        "fb.domains",
        "Bearbeitete Lebensbereiche",
        "Life domains worked on",
    ),
    ("fb.exit", "Abschlussbericht", "Exit report"),
    (
        "fb.goals_with_status",
        "Ziele mit Status „{status}“",
        "Goals with status “{status}”",
    ),
    ("fb.handovers", "Übergaben", "Handovers"),
    (
        "fb.hint",
        "Vorschau genau so, wie Wegbereiter die Rückmeldung berechnet: nur was die gültigen Einwilligungen erlauben. Stand:",
        "Preview exactly as Wegbereiter computes the feedback: only what the consents in force allow. As of:",
    ),
    (
        "fb.no_consent",
        "Keine Einwilligung: wird nicht übermittelt.",
        "No consent: not transmitted.",
    ),
    (
        "fb.left_out",
        "Nur für Sie, nicht Teil der Rückmeldung: ohne Einwilligung in die Weitergabe von Gesundheitsinformationen fehlt darin, ohne Hinweis darauf:",
        "For you only, not part of the feedback: without consent to passing on health information, it leaves out, without saying so:",
    ),
    (
        "fb.no_exit_consent",
        "Keine Einwilligung in die Abschlussmitteilung: wird nicht übermittelt.",
        "No consent to the exit report: not transmitted.",
    ),
    (
        "fb.no_exit_not_enrolled",
        "Keine Teilnahme an der Bezugsberatung: es gibt keine Abschlussmitteilung.",
        "No participation in the key-worker period: there is no exit report.",
    ),
    (
        "fb.no_exit_yet",
        "Noch nicht abgeschlossen: die Abschlussmitteilung entsteht erst mit dem Abschluss.",
        "Not closed yet: the exit report exists only once the case is closed.",
    ),
    ("fb.offer", "Angebot", "Offer"),
    (
        "fb.outreach",
        "Ergebnis der aufsuchenden Phase",
        "Outreach result",
    ),
    (
        "fb.participation",
        "Teilnahmebestätigung",
        "Participation confirmation",
    ),
    ("fb.progress", "Entwicklungsbericht", "Progress report"),
    ("fb.reached", "Erreicht", "Reached"),
    ("fb.referred_to", "Vermittelt an", "Referred to"),
    (
        "fb.title",
        "Was das Jobcenter sehen würde",
        "What the Jobcenter would see",
    ),
    (
        "footer.text",
        "Wegbereiter · Fallbegleitung in der aufsuchenden Sozialarbeit · Teilnahme ist freiwillig und sanktionsfrei.",
        "Wegbereiter · case work in outreach social work · participation is voluntary and sanction-free.",
    ),
    (
        "form.bad_date",
        "Bitte ein gültiges Datum angeben.",
        "Please enter a valid date.",
    ),
    (
        "form.bad_time",
        "Bitte eine gültige Uhrzeit angeben (z. B. 09:30).",
        "Please enter a valid time (e.g. 09:30).",
    ),
    (
        "form.choose",
        "Bitte eine gültige Auswahl treffen.",
        "Please make a valid choice.",
    ),
    ("esf.female", "weiblich", "women"),
    ("esf.from", "Von", "From"),
    (
        "esf.hint",
        "Zahlen und pseudonyme Teilnehmendennummern, keine Namen: jede Zahl führt zur Liste der Teilnehmenden dahinter. Eintritt ist die Aufnahme in die Bezugsberatung; aufsuchende Kontakte allein zählen nicht. Ein Fall ohne Team zählt nur im ganzen Projekt.",
        "Counts and pseudonymous participant numbers, no names: every count leads to the list of participants behind it. Entry is the enrolment into the key-worker period; outreach contacts alone do not count. A case without a team counts for the whole project only.",
    ),
    (
        "esf.back",
        "Zurück zum ESF-Plus-Bericht",
        "Back to the ESF Plus report",
    ),
    (
        "esf.export_xlsx",
        "Export für den Fördergeber (XLSX)",
        "Export for the funder (XLSX)",
    ),
    ("esf.export_csv", "als CSV", "as CSV"),
    (
        "esf.questionnaire_title",
        "ESF-Plus-Fragebogen der Teilnahme",
        "ESF Plus participant questionnaire",
    ),
    (
        "esf.questionnaire_link",
        "Fragebogen zur Unterschrift drucken",
        "Print the questionnaire for signature",
    ),
    (
        "esf.questionnaire_hint",
        "Drucken Sie den Fragebogen mit der Druckfunktion des Browsers oder als PDF; unterschrieben ist er Nachweis für den Fördergeber.",
        "Print the questionnaire with the browser's print function or as a PDF; signed, it is evidence for the funder.",
    ),
    (
        "esf.questionnaire_pdf",
        "Als PDF herunterladen",
        "Download as PDF",
    ),
    (
        "esf.duplicates",
        "Möglicherweise dieselbe Person (gleicher Vor- und Nachname, gleiche Postleitzahl) – bitte vor dem Export prüfen, ein Teilnahmedatensatz je Person:",
        "Possibly the same person (same first name, surname and postcode) – please check before exporting, one participant record per person:",
    ),
    (
        "esf.export_hint",
        "Eine Zeile je Teilnehmende*r des Zeitraums, pseudonymisiert (Teilnehmendennummer, Alter bei Eintritt statt Geburtsdatum, kein Name), in der Reihenfolge des Fragebogens; die XLSX-Datei enthält dazu die Übersicht der Zahlen. Jeder Export steht im Protokoll.",
        "One row per participant of the period, pseudonymised (participant number, age at entry instead of the birth date, no name), in the questionnaire's order; the XLSX file adds the summary of the figures. Every export is in the audit log.",
    ),
    ("esf.case", "Fall", "Case"),
    (
        "esf.evaluator",
        "erhebt die Evaluation (Stichprobe sechs Monate nach Austritt)",
        "collected by the evaluator (sample survey six months after exit)",
    ),
    ("esf.members_count", "Teilnehmende", "Participants"),
    (
        "esf.members_hint",
        "Die Teilnehmendennummer ist die Fallnummer mit „TN-“ davor: der Träger findet den Fall, der Fördergeber erfährt keinen Namen. Einen Fall öffnen kann nur, wer ihn einsehen darf.",
        "The participant number is the case number with “TN-” in front: the provider finds the case, the funder learns no name. Only those who may see a case can open it.",
    ),
    (
        "esf.members_title",
        "Teilnehmende hinter einer Zahl",
        "Participants behind a figure",
    ),
    ("esf.not_open", "nicht einsehbar", "not open to you"),
    (
        "esf.participant_number",
        "Teilnehmendennummer",
        "Participant number",
    ),
    ("esf.scope", "Fälle", "Cases"),
    ("esf.scope_all", "Ganzes Projekt", "Whole project"),
    ("esf.scope_team", "Team", "Team"),
    ("esf.indicator", "Indikator", "Indicator"),
    (
        "esf.indicators",
        "ESF-Plus-Indikatoren",
        "ESF Plus indicators",
    ),
    (
        "esf.intro",
        "Die Indikatoren nach Anhang I der ESF-Plus-Verordnung für die Teilnehmenden des ganzen Projekts oder eines Ihrer Teams, die im Zeitraum eingetreten oder ausgetreten sind. Die Kommandozeile (report esf) zeigt für denselben Zeitraum und dieselben Fälle dieselben Zahlen.",
        "The indicators of Annex I of the ESF Plus regulation for the participants of the whole project or of one of your teams who entered or left in the period. The command line (report esf) shows the same figures for the same period and cases.",
    ),
    ("esf.male", "männlich", "men"),
    ("esf.non_binary", "divers", "non-binary"),
    ("esf.period", "Zeitraum", "Period"),
    ("esf.show", "Anzeigen", "Show"),
    ("stats.title", "Statistik", "Statistics"),
    (
        "stats.intro",
        "Zuweisungen, Erreichung, Aufnahmen, Bezugsberatung, Austritte, Weitervermittlungen und Phase 2 eines Zeitraums, je Monat, Quartal oder Jahr. Nur Zahlen, keine Namen.",
        "Referrals, reach, enrolments, key-worker support, exits, referrals out and Phase 2 of a period, per month, quarter or year. Numbers only, no names.",
    ),
    ("stats.by", "Aufteilung", "Divided by"),
    ("stats.view", "Ansicht", "View"),
    (
        "stats.view_team",
        "für das Team (genaue Zahlen)",
        "for the team (exact counts)",
    ),
    (
        "stats.view_published",
        "zur Weitergabe (Zahlen unter 5 als „< 5“)",
        "for passing on (counts below 5 as “< 5”)",
    ),
    (
        "stats.published_note",
        "zur Weitergabe: Zahlen von 1 bis 4 als „< 5“",
        "for passing on: counts from 1 to 4 as “< 5”",
    ),
    (
        "stats.export_xlsx",
        "Als Excel-Datei (XLSX)",
        "As Excel file (XLSX)",
    ),
    ("stats.export_csv", "Als CSV-Datei", "As CSV file"),
    (
        "stats.print",
        "Druckansicht zur Weitergabe",
        "Print view for passing on",
    ),
    (
        "stats.export_hint",
        "Downloads und die Druckansicht sind für die Weitergabe gedacht: Zahlen von 1 bis 4 erscheinen dort als „< 5“, damit niemand aus kleinen Zahlen erkannt wird. Jeder Download wird protokolliert.",
        "Downloads and the print view are meant for passing on: counts from 1 to 4 appear as “< 5” there, so that nobody can be recognised from small numbers. Every download is logged.",
    ),
    ("stats.contents", "Inhalt", "Contents"),
    (
        "stats.chart_table",
        "Die Zahlen stehen in der Tabelle unter dem Diagramm.",
        "The numbers are in the table below the chart.",
    ),
    ("stats.no_team", "ohne Team", "without a team"),
    ("esf.report_title", "ESF-Plus-Bericht", "ESF Plus report"),
    ("esf.to", "Bis", "To"),
    ("esf.total", "gesamt", "total"),
    ("esf.unknown", "ohne Angabe", "not recorded"),
    ("form.no", "nein", "no"),
    ("form.no_answer", "keine Angabe", "no answer"),
    ("form.please_choose", "Bitte wählen", "Please choose"),
    ("form.required", "Bitte ausfüllen.", "Please fill in."),
    ("form.save", "Speichern", "Save"),
    ("form.yes", "ja", "yes"),
    ("goal.agreed", "vereinbart am", "agreed on"),
    (
        "goal.criterion",
        "Woran wir merken, dass es erreicht ist",
        "How we will know it is reached",
    ),
    ("goal.domain", "Lebensbereich", "Life domain"),
    ("goal.new", "Neues Ziel vereinbaren", "Agree a new goal"),
    (
        "goal.none",
        "Noch keine Ziele vereinbart.",
        "No goals agreed yet.",
    ),
    ("goal.rate", "Skalierung speichern", "Save rating"),
    ("goal.rated_on", "Datum", "Date"),
    ("goal.rating", "Skalierung 0–10", "Scale 0–10"),
    (
        "goal.ratings",
        "Skalierung im Verlauf (0–10)",
        "Scaling over time (0–10)",
    ),
    ("goal.responsible", "Verantwortlich", "Responsible"),
    ("goal.review", "Überprüfung am", "Review on"),
    ("goal.save", "Ziel speichern", "Save goal"),
    ("goal.status", "Stand", "Status"),
    ("goal.update", "Stand ändern", "Change status"),
    (
        "goal.wording",
        "Ziel (in den Worten der Person)",
        "Goal (in the person's words)",
    ),
    (
        "goal.wording_hint",
        "Zum Beispiel: „Ich will meine Miete wieder pünktlich zahlen.“",
        "For example: “I want to pay my rent on time again.”",
    ),
    ("groups.absent", "nicht anwesend", "not present"),
    (
        "groups.attendance",
        "Anwesenheit in Phase 2",
        "Phase 2 attendance",
    ),
    ("groups.create", "Termin anlegen", "Create session"),
    (
        "groups.created",
        "Der Gruppentermin ist angelegt.",
        "The group session has been created.",
    ),
    ("groups.date", "Datum", "Date"),
    (
        "groups.intro",
        "Frühstück, Werkstatt, Coaching und Ausflüge. Anwesenheit dient der Tagesstruktur und dem Nachweis gegenüber Fördergebern, nie als Sanktionsgrund.",
        "Breakfast, workshop, coaching and excursions. Attendance supports day structure and funding evidence, never sanctions.",
    ),
    ("groups.kind", "Art", "Kind"),
    ("groups.new", "Neuer Gruppentermin", "New group session"),
    ("groups.months", "Monate", "Months"),
    ("groups.prev_month", "‹ Vormonat", "‹ Previous month"),
    ("groups.next_month", "Folgemonat ›", "Next month ›"),
    ("groups.this_month", "Aktueller Monat", "This month"),
    (
        "groups.none_in_month",
        "In diesem Monat gibt es keine Gruppentermine.",
        "No group sessions this month.",
    ),
    (
        "groups.no_attendance",
        "Noch keine Anwesenheit erfasst.",
        "No attendance recorded yet.",
    ),
    (
        "groups.no_participants",
        "In Ihren Teams ist derzeit niemand in Phase 2.",
        "Nobody in your teams is in Phase 2 right now.",
    ),
    (
        "groups.not_phase2",
        "Die Person ist (noch) nicht in Phase 2.",
        "The person is not in Phase 2 (yet).",
    ),
    (
        "groups.partly",
        "Nicht alle Einträge konnten gespeichert werden; siehe die Hinweise in der Liste.",
        "Not every entry could be saved; see the messages in the list.",
    ),
    ("groups.present", "anwesend", "present"),
    ("groups.save", "Anwesenheit speichern", "Save attendance"),
    (
        "groups.saved",
        "Die Anwesenheit ist gespeichert.",
        "Attendance saved.",
    ),
    ("groups.session_title", "Titel", "Title"),
    ("groups.sessions", "Termine", "Sessions"),
    ("groups.sheet", "Anwesenheitsliste", "Attendance sheet"),
    (
        "groups.sheet_hint",
        "Aufgeführt sind die Teilnehmenden in Phase 2 aus Ihren Teams.",
        "Listed are the Phase 2 participants of your teams.",
    ),
    (
        "groups.title",
        "Gruppentermine (Phase 2)",
        "Group sessions (Phase 2)",
    ),
    (
        "groups.to_sheets",
        "Zu den Anwesenheitslisten",
        "To the attendance sheets",
    ),
    ("handover.keep", "unverändert", "unchanged"),
    ("handover.new", "Neue Übergabe", "New handover"),
    ("handover.none", "Noch keine Übergabe.", "No handover yet."),
    ("handover.on", "Datum", "Date"),
    ("handover.save", "Übergabe speichern", "Save handover"),
    (
        "handover.same_person",
        "Bezugsperson unverändert",
        "Key worker unchanged",
    ),
    ("handover.target", "Übergeben an", "Hand over to"),
    (
        "handover.title",
        "Übergaben im Projekt",
        "Handovers in the project",
    ),
    (
        "handover.to",
        "Neue zuständige Person",
        "New responsible person",
    ),
    ("history.title", "Verlauf der Fallakte", "Case history"),
    ("lead.assign_team", "An Team übertragen", "Move to team"),
    ("lead.reassign", "Zuständigkeit ändern", "Reassign"),
    (
        "lead.reassign_to",
        "Neue*r Bezugsberater*in",
        "New key worker",
    ),
    ("lead.team", "Team", "Team"),
    ("lead.title", "Teamleitung", "Team lead"),
    ("login.bye", "Sie sind abgemeldet.", "You are signed out."),
    (
        "login.failed",
        "Anmeldename oder Passwort ist falsch.",
        "Sign-in name or password is wrong.",
    ),
    (
        "login.idle",
        "Sie wurden nach längerer Inaktivität automatisch abgemeldet. Bitte melden Sie sich erneut an.",
        "You were signed out automatically after a period of inactivity. Please sign in again.",
    ),
    (
        "login.intro",
        "Melden Sie sich mit Ihrem Anmeldenamen und Passwort an.",
        "Sign in with your sign-in name and password.",
    ),
    ("login.password", "Passwort", "Password"),
    ("login.submit", "Anmelden", "Sign in"),
    (
        "login.throttled",
        "Zu viele fehlgeschlagene Anmeldeversuche von diesem Gerät. Aus Sicherheitsgründen ist die nächste Anmeldung mit diesem Namen von hier erst in {minutes} Minute(n) möglich. Die Administration kann die Sperre sofort aufheben.",
        "Too many failed sign-in attempts from this device. For security, the next sign-in with this name from here is possible in {minutes} minute(s). Your administrator can lift the block at once.",
    ),
    (
        "login.lifetime",
        "Ihre Anmeldung hat ihre Höchstdauer erreicht und ist abgelaufen. Bitte melden Sie sich erneut an.",
        "Your sign-in reached its maximum duration and has expired. Please sign in again.",
    ),
    ("login.title", "Anmelden", "Sign in"),
    ("nav.admin", "Verwaltung", "Administration"),
    ("nav.audit", "Protokoll", "Audit log"),
    ("nav.dashboard", "Übersicht", "Dashboard"),
    ("nav.esf", "ESF-Bericht", "ESF report"),
    ("nav.statistics", "Statistik", "Statistics"),
    ("nav.groups", "Gruppentermine", "Group sessions"),
    ("nav.account", "Mein Konto", "My account"),
    ("nav.logout", "Abmelden", "Sign out"),
    ("nav.main", "Hauptnavigation", "Main navigation"),
    ("nav.other_lang", "English", "Deutsch"),
    ("nav.referral", "Neue Zuweisung", "New referral"),
    ("nav.search", "Fälle suchen", "Find cases"),
    ("nav.skip", "Zum Inhalt springen", "Skip to content"),
    ("out.at", "Zeitpunkt", "When"),
    ("out.attempts", "Kontaktversuche", "Contact attempts"),
    (
        "out.attempts_hint",
        "Vor der Einwilligung werden nur Zeitpunkt, Weg und Ergebnis festgehalten, keine Beobachtungen.",
        "Before consent only time, channel and outcome are recorded, no observations.",
    ),
    ("out.channel", "Weg", "Channel"),
    ("out.decline", "Angebot abgelehnt", "Offer declined"),
    ("out.declined_on", "Abgelehnt am", "Declined on"),
    ("out.end", "Aufsuchende Phase beenden", "End outreach"),
    (
        "out.end_hint",
        "Eine Ablehnung wird ohne Grund festgehalten. „Nicht erreicht“ ist erst möglich, wenn die Regel erfüllt ist ({attempts} erfolglose Versuche oder {weeks} Wochen ohne Kontakt).",
        "A decline is recorded without a reason. “Not reached” is only possible once the rule is met ({attempts} failed attempts or {weeks} weeks without contact).",
    ),
    ("out.failed", "Erfolglose Versuche", "Failed attempts"),
    (
        "out.not_reached_later",
        "Noch nicht möglich: erst nach genug erfolglosen Versuchen oder ab dem",
        "Not yet possible: only after enough failed attempts or from",
    ),
    ("out.of", "von", "of"),
    ("out.letter_date", "Schreiben vom", "Letter of"),
    (
        "out.letters",
        "Ankündigungsschreiben",
        "Announcement letters",
    ),
    (
        "out.new_attempt",
        "Kontaktversuch erfassen",
        "Log a contact attempt",
    ),
    (
        "out.new_letter",
        "Ankündigungsschreiben erfassen",
        "Record an announcement letter",
    ),
    (
        "out.no_attempts",
        "Noch keine Kontaktversuche.",
        "No contact attempts yet.",
    ),
    (
        "out.no_letters",
        "Noch kein Ankündigungsschreiben.",
        "No announcement letter yet.",
    ),
    (
        "out.not_reached",
        "Als nicht erreicht abschließen",
        "Close as not reached",
    ),
    ("out.not_reached_on", "Nicht erreicht am", "Not reached on"),
    ("out.on", "Datum", "Date"),
    ("out.outcome", "Ergebnis", "Outcome"),
    (
        "out.save_attempt",
        "Kontaktversuch speichern",
        "Save contact attempt",
    ),
    ("out.save_letter", "Schreiben speichern", "Save letter"),
    ("out.staff", "Mitarbeiter*in", "Staff member"),
    (
        "out.to_enrolment",
        "Die Person möchte teilnehmen? Zur Aufnahme",
        "The person wants to take part? Go to enrolment",
    ),
    ("out.visit_from", "Besuch ab", "Visit from"),
    ("out.visit_until", "Besuch bis", "Visit until"),
    (
        "out.visit_start",
        "Uhrzeit von (optional)",
        "Time from (optional)",
    ),
    (
        "out.letter_pdf_confirm",
        "PDF (Übersetzung bestätigen)",
        "PDF (confirm the translation)",
    ),
    ("client.letter_language", "Briefsprache", "Letter language"),
    (
        "client.letter_language_hint",
        "Briefe gehen immer auf Deutsch hinaus; mit einer Briefsprache kommt eine Übersetzungsseite dazu.",
        "Letters always go out in German; with a letter language a translation page is added.",
    ),
    (
        "client.letter_language_save",
        "Briefsprache speichern",
        "Save letter language",
    ),
    (
        "out.visit_end",
        "Uhrzeit bis (optional)",
        "Time until (optional)",
    ),
    ("out.window", "Besuchszeitraum", "Visit window"),
    ("page.first", "Zur ersten Seite", "First page"),
    ("page.nav", "Seiten", "Pages"),
    ("page.next", "Weitere anzeigen", "Show more"),
    ("password.first", "Erstes Passwort", "First password"),
    (
        "password.hint",
        "Mindestens 10 Zeichen. Eine Passphrase aus mehreren Wörtern ist gut zu merken.",
        "At least 10 characters. A passphrase of several words is easy to remember.",
    ),
    (
        "password.mismatch",
        "Die beiden Passwörter stimmen nicht überein.",
        "The two passwords do not match.",
    ),
    ("password.new", "Neues Passwort", "New password"),
    ("password.repeat", "Passwort wiederholen", "Repeat password"),
    ("password.reset", "Passwort neu setzen", "Reset password"),
    (
        "password.reset_hint",
        "Nur ausfüllen, wenn das Passwort geändert werden soll.",
        "Only fill in to change the password.",
    ),
    (
        "password.too_short",
        "Das Passwort muss mindestens 10 Zeichen lang sein.",
        "The password must be at least 10 characters long.",
    ),
    ("period.extend", "Verlängern", "Extend"),
    (
        "period.extend_hint",
        "Eine Verlängerung braucht eine schriftliche Begründung und ist bis höchstens 6 Monate nach Beginn möglich.",
        "An extension needs a written reason and is possible up to 6 months after the start.",
    ),
    (
        "period.extend_submit",
        "Verlängerung speichern",
        "Save extension",
    ),
    ("period.extensions", "Verlängerungen", "Extensions"),
    (
        "period.latest_end",
        "Spätestes Ende (6 Monate)",
        "Latest end (6 months)",
    ),
    ("period.planned_end", "Geplantes Ende", "Planned end"),
    ("period.reason", "Begründung", "Reason"),
    ("period.start", "Beginn", "Start"),
    ("period.title", "Bezugsberatung", "Key-worker period"),
    ("period.until", "Neues Ende", "New end"),
    ("print.back", "Zurück zur Fallakte", "Back to the case file"),
    (
        "print.confidential",
        "Vertraulich – Sozialdaten (§ 35 SGB I). Nicht an Dritte weitergeben.",
        "Confidential – social data (§35 SGB I). Do not pass on.",
    ),
    (
        "print.hint",
        "Drucken Sie diese Seite mit der Druckfunktion Ihres Browsers.",
        "Print this page with your browser's print function.",
    ),
    ("print.printed", "gedruckt am", "printed on"),
    ("print.title", "Fallübersicht", "Case summary"),
    (
        "ref.address_incomplete",
        "Adresse: Bitte Straße, Postleitzahl und Ort vollständig angeben oder alle drei leer lassen.",
        "Address: please give street, postcode and city, or leave all three empty.",
    ),
    ("ref.case_manager", "Fallmanager*in", "Case manager"),
    ("ref.customer_number", "Kundennummer", "Customer number"),
    ("ref.date", "Datum der Zuweisung", "Referral date"),
    (
        "ref.dup_confirm",
        "Ich habe die Hinweise geprüft: Es ist eine neue Zuweisung.",
        "I have checked the hints: this is a new referral.",
    ),
    (
        "ref.dup_dob",
        "gleicher Name und Geburtsdatum",
        "same name and date of birth",
    ),
    (
        "ref.dup_found",
        "Es gibt möglicherweise schon einen Fall dieser Person. Bitte prüfen Sie die Hinweise unten.",
        "There may already be a case for this person. Please check the hints below.",
    ),
    (
        "ref.dup_hidden",
        "Mögliche Treffer in anderen Teams (nicht einsehbar, bitte Teamleitung fragen):",
        "Possible matches in other teams (not visible; please ask your team lead):",
    ),
    (
        "ref.dup_postcode",
        "gleicher Name und Postleitzahl",
        "same name and postcode",
    ),
    (
        "ref.dup_text",
        "Diese Fälle könnten dieselbe Person betreffen. Öffnen Sie den bestehenden Fall oder bestätigen Sie, dass es sich um eine neue Zuweisung handelt.",
        "These cases may concern the same person. Open the existing case or confirm that this is a new referral.",
    ),
    ("ref.dup_title", "Mögliche Dublette", "Possible duplicate"),
    (
        "ref.intro",
        "Erfassen Sie die Zuweisung des Jobcenters. Mögliche Dubletten werden vor dem Speichern angezeigt; zusammengeführt wird nie automatisch.",
        "Record the Jobcenter's referral. Possible duplicates are shown before saving; nothing is ever merged automatically.",
    ),
    ("ref.jobcenter", "Jobcenter", "Jobcenter"),
    ("ref.legal_basis", "Rechtsgrundlage", "Legal basis"),
    (
        "ref.problem_areas",
        "Angegebene Problemlagen",
        "Indicated problem areas",
    ),
    ("ref.reason", "Anlass", "Reason"),
    (
        "ref.saved",
        "Die Zuweisung ist angelegt. Als Nächstes: Ankündigungsschreiben oder Kontaktversuch.",
        "The referral has been recorded. Next: announcement letter or contact attempt.",
    ),
    ("ref.section_client", "Klient*in", "Client"),
    ("ref.section_referral", "Zuweisung", "Referral"),
    ("ref.submit", "Zuweisung speichern", "Save referral"),
    (
        "ref.title",
        "Neue Zuweisung erfassen",
        "Record a new referral",
    ),
    (
        "refout.new",
        "An eine Fachstelle vermitteln",
        "Refer to a specialist service",
    ),
    (
        "refout.no_services",
        "Im Fachstellenverzeichnis ist noch keine Fachstelle eingetragen. Bitte wenden Sie sich an die Administration.",
        "The service directory is empty. Please ask your administrator.",
    ),
    (
        "refout.none",
        "Noch keine Weitervermittlung.",
        "No referrals out yet.",
    ),
    ("pause.from", "Pausiert ab", "Paused from"),
    (
        "pause.hint",
        "Eine Pause ist kein Nachteil und wird dem Jobcenter nicht gemeldet. Die Zeit läuft weiter: das geplante Ende bleibt.",
        "A pause is no disadvantage and is not reported to the Jobcenter. The clock runs on: the planned end stays.",
    ),
    ("pause.list", "Pausen", "Pauses"),
    ("pause.now", "Teilnahme pausiert", "Participation paused"),
    (
        "pause.resume",
        "Teilnahme fortsetzen",
        "Resume participation",
    ),
    ("pause.resumed_on", "Fortgesetzt am", "Resumed on"),
    ("pause.since", "seit", "since"),
    ("pause.start", "Pause eintragen", "Record a pause"),
    (
        "pause.title",
        "Pause der Teilnahme",
        "Pause in participation",
    ),
    ("refout.on", "Datum", "Date"),
    (
        "refout.save",
        "Weitervermittlung anlegen",
        "Create referral",
    ),
    ("refout.service", "Fachstelle", "Specialist service"),
    ("refout.since", "seit", "since"),
    ("refout.status", "Neuer Stand", "New status"),
    ("refout.update", "Stand speichern", "Save status"),
    ("release.direction", "Richtung", "Direction"),
    ("release.given_on", "Unterschrieben am", "Signed on"),
    (
        "release.information",
        "Welche Informationen",
        "Which information",
    ),
    (
        "release.missing",
        "Keine Schweigepflichtentbindung: Es dürfen keine Informationen an die Fachstelle gegeben werden.",
        "No secrecy release: no information may be given to the service.",
    ),
    ("release.not_valid", "derzeit nicht gültig", "not valid now"),
    ("release.purpose", "Zweck", "Purpose"),
    ("release.recipient", "Empfänger*in", "Recipient"),
    (
        "release.record",
        "Schweigepflichtentbindung erfassen",
        "Record a secrecy release",
    ),
    ("release.save", "Entbindung speichern", "Save release"),
    (
        "release.title",
        "Schweigepflichtentbindung",
        "Secrecy release",
    ),
    ("release.valid_until", "Gültig bis", "Valid until"),
    ("release.validity", "Gültigkeit", "Validity"),
    (
        "search.hint",
        "Zum Beispiel „Müßig“ (auch „Muessig“ oder „Mussig“), „Lüdenscheidt“ für „Müller-Lüdenscheidt“, das Geburtsdatum „12.03.1985“ oder die Fallnummer „4F2C1-9A0B7“. Gesucht wird in den Fällen Ihrer Teams.",
        "For example “Müßig” (also “Muessig” or “Mussig”), “Lüdenscheidt” for “Müller-Lüdenscheidt”, the date of birth “12.03.1985” or the case number “4F2C1-9A0B7”. Searches the cases of your teams.",
    ),
    (
        "search.label",
        "Name, Geburtsdatum oder Fallnummer",
        "Name, date of birth or case number",
    ),
    ("search.none", "Keine Fälle gefunden.", "No cases found."),
    ("search.results", "Treffer", "Results"),
    ("search.submit", "Suchen", "Search"),
    ("search.title", "Fälle suchen", "Find cases"),
    (
        "service.active",
        "Im Verzeichnis aktiv",
        "Active in the directory",
    ),
    (
        "service.contact",
        "Weitere Hinweise (Termine, Unterlagen)",
        "Further notes (appointments, documents)",
    ),
    ("service.address", "Adresse", "Address"),
    ("service.phone", "Telefon", "Phone"),
    ("service.email", "E-Mail", "E-mail"),
    ("service.opening_hours", "Öffnungszeiten", "Opening hours"),
    ("service.contact_person", "Ansprechperson", "Contact person"),
    ("nav.directory", "Fachstellen", "Services"),
    (
        "directory.title",
        "Fachstellenverzeichnis",
        "Service directory",
    ),
    (
        "directory.hint",
        "Die Fachstellen, an die Sie vermitteln können, mit Adresse, Telefon, E-Mail, Öffnungszeiten und Ansprechperson. Vermittelt wird im Fall unter „Weitervermittlung“.",
        "The specialist services you can refer to, with address, phone, e-mail, opening hours and contact person. Referrals are made in the case under “Referrals out”.",
    ),
    (
        "directory.edit",
        "Verzeichnis bearbeiten",
        "Edit the directory",
    ),
    (
        "directory.view",
        "Verzeichnis ansehen, wie Fachkräfte es sehen",
        "View the directory as case workers see it",
    ),
    (
        "directory.no_details",
        "Noch keine Kontaktangaben im Verzeichnis.",
        "No contact details in the directory yet.",
    ),
    (
        "directory.all",
        "Alle Fachstellen im Verzeichnis",
        "All services in the directory",
    ),
    ("refout.made_on", "Vermittelt am", "Referred on"),
    (
        "refout.note",
        "Notiz zur Vermittlung",
        "Note on the referral",
    ),
    (
        "refout.contact_person",
        "Ansprechperson bei der Fachstelle",
        "Contact person at the service",
    ),
    (
        "refout.contact_person_hint",
        "Leer lassen: die Ansprechperson aus dem Verzeichnis.",
        "Leave empty for the directory's contact person.",
    ),
    (
        "handover.note",
        "Notiz für das Übergabegespräch",
        "Note for the handover talk",
    ),
    (
        "handover.note_hint",
        "Was vereinbart ist, was offen ist, worauf die neue Fachkraft achten sollte.",
        "What is agreed, what is open, what the new person should keep in mind.",
    ),
    ("handover.before", "bisher", "before"),
    (
        "handover.note_next",
        "Die Notiz für das Übergabegespräch schreiben Sie auf der nächsten Seite, bevor Sie bestätigen.",
        "You write the note for the handover talk on the next page, before you confirm.",
    ),
    ("service.kind", "Art", "Kind"),
    ("service.name", "Name", "Name"),
    (
        "setup.done",
        "Das Administrationskonto ist angelegt. Legen Sie jetzt Teams und Mitarbeitende an.",
        "The administrator account has been created. Now create teams and staff.",
    ),
    (
        "setup.intro",
        "Die Datenbank ist noch leer. Legen Sie zuerst ein Administrationskonto an; damit richten Sie anschließend Teams, Mitarbeitende und Fachstellen ein.",
        "The database is still empty. First create an administrator account; with it you then set up teams, staff and specialist services.",
    ),
    (
        "setup.submit",
        "Administrationskonto anlegen",
        "Create administrator account",
    ),
    ("setup.title", "Ersteinrichtung", "First-time set-up"),
    ("social.assess", "Einschätzen", "Assess"),
    ("social.domain", "Lebensbereich", "Life domain"),
    (
        "social.intro",
        "Je Lebensbereich: die Sicht der Person, Stärken, Handlungsbedarf und Priorität. Angaben Dritter werden als solche gekennzeichnet.",
        "For each life domain: the person's own view, strengths, need for action and priority. Third-party accounts are marked as such.",
    ),
    ("social.need", "Handlungsbedarf", "Need for action"),
    (
        "social.not_assessed",
        "Noch nicht besprochen.",
        "Not discussed yet.",
    ),
    ("social.own_view", "Sicht der Person", "Own view"),
    ("social.priority", "Priorität", "Priority"),
    ("social.source", "Quelle", "Source"),
    (
        "social.strengths",
        "Stärken und Ressourcen",
        "Strengths and resources",
    ),
    ("social.update", "Einschätzung ändern", "Change assessment"),
    ("staff.active", "Aktiv", "Active"),
    ("staff.display_name", "Name", "Name"),
    ("staff.inactive", "deaktiviert", "deactivated"),
    ("staff.login", "Anmeldename", "Sign-in name"),
    ("staff.roles", "Rollen", "Roles"),
    ("staff.teams", "Teams", "Teams"),
    ("tab.closure", "Abschluss", "Closure"),
    ("tab.contacts", "Kontakte", "Contacts"),
    ("tab.enrolment", "Aufnahme", "Enrolment"),
    (
        "tab.feedback",
        "Rückmeldung Jobcenter",
        "Jobcenter feedback",
    ),
    ("tab.goals", "Ziele", "Goals"),
    ("tab.handover", "Übergabe & Phase 2", "Handover & Phase 2"),
    ("tab.history", "Verlauf", "History"),
    ("tab.outreach", "Aufsuchende Phase", "Outreach"),
    ("tab.overview", "Überblick", "Overview"),
    ("tab.referrals", "Weitervermittlung", "Referrals out"),
    ("tab.social", "Sozialanamnese", "Social history"),
    ("team.name", "Name des Teams", "Team name"),
    (
        "audit.recent",
        "Letzte Zugriffe auf Fallakten (alle Fälle)",
        "Latest accesses to case files (all cases)",
    ),
    (
        "audit.subject.group_session",
        "Gruppentermin",
        "Group session",
    ),
    ("audit.subject.service", "Fachstelle", "Specialist service"),
    ("audit.subject.staff", "Mitarbeiter*in", "Staff member"),
    ("audit.subject.team", "Team", "Team"),
    ("audit.system", "System", "System"),
    ("audit.not_signed_in", "nicht angemeldet", "not signed in"),
    (
        "audit.action.staff.role_granted",
        "Rolle vergeben",
        "Role granted",
    ),
    (
        "audit.action.staff.role_removed",
        "Rolle entzogen",
        "Role removed",
    ),
    (
        "audit.action.staff.deactivated",
        "Konto deaktiviert",
        "Account deactivated",
    ),
    (
        "audit.action.staff.reactivated",
        "Konto wieder aktiviert",
        "Account reactivated",
    ),
    (
        "audit.action.installation.rural_postcodes_set",
        "Tabelle ländlicher Postleitzahlen geändert",
        "Table of rural postcodes changed",
    ),
    (
        "audit.action.report.statistics_exported",
        "Statistik heruntergeladen",
        "Statistics downloaded",
    ),
    (
        "audit.action.report.esf_exported",
        "ESF-Export für den Fördergeber",
        "ESF export for the funder",
    ),
    (
        "audit.action.staff.throttle_lifted",
        "Anmeldesperre aufgehoben",
        "Sign-in block lifted",
    ),
    ("admin.throttle", "Anmeldesperre", "Sign-in block"),
    (
        "admin.throttle_hint",
        "Nach mehreren falschen Passwörtern wartet die Anmeldung von diesem Gerät eine Weile. Wer das Konto sicher selbst benutzt, kann hier sofort wieder freigeschaltet werden.",
        "After several wrong passwords, sign-in from that device waits for a while. If the person is certainly using the account themselves, you can unblock it here at once.",
    ),
    ("admin.throttle_lift", "Sperre aufheben", "Lift the block"),
    (
        "admin.throttle_lifted",
        "Die Anmeldesperre ist aufgehoben.",
        "The sign-in block is lifted.",
    ),
    (
        "audit.recent_hint",
        "Die neuesten zuerst, je Seite 25; ältere Einträge über den Link unter der Tabelle.",
        "Newest first, 25 per page; older entries through the link below the table.",
    ),
    ("audit.filter", "Eingrenzen", "Narrow down"),
    ("audit.from", "Von (Tag)", "From (day)"),
    ("audit.to", "Bis (Tag)", "To (day)"),
    ("audit.person", "Person", "Person"),
    ("audit.action", "Aktion", "Action"),
    ("audit.any", "alle", "all"),
    ("audit.older", "Ältere Einträge", "Older entries"),
    ("audit.newest", "Neueste Einträge", "Newest entries"),
    (
        "audit.access_pages",
        "Seiten der Zugriffe",
        "Pages of the accesses",
    ),
    (
        "audit.changes_pages",
        "Seiten der Änderungen",
        "Pages of the changes",
    ),
    ("goal.edit", "Formulierung ändern", "Change wording"),
    ("goal.edit_save", "Formulierung speichern", "Save wording"),
    (
        "lead.outreach_hint",
        "Die Teamleitung legt fest, wer die aufsuchende Arbeit übernimmt. Diese Person bearbeitet den Fall danach wie eine zuständige Bezugsberatung; das übrige Team kann ihn lesen.",
        "The team lead names who does the outreach. That person then works on the case like an assigned key worker; the rest of the team can read it.",
    ),
    ("lead.outreach_save", "Zuständigkeit festlegen", "Assign"),
    (
        "lead.outreach_title",
        "Zuständig für die aufsuchende Phase",
        "Responsible for outreach",
    ),
    (
        "lead.outreach_to",
        "Zuständige Person",
        "Responsible person",
    ),
    (
        "lead.outreach_unassigned",
        "Noch niemand benannt: Alle im Team können die aufsuchende Arbeit übernehmen.",
        "Nobody named yet: anyone in the team can do the outreach.",
    ),
    (
        "letter.easy",
        "In Leichter Sprache",
        "In Leichte Sprache (German easy-to-read)",
    ),
    ("letter.pdf", "Als PDF herunterladen", "Download as PDF"),
    (
        "print.summary_pdf",
        "Fallübersicht als PDF",
        "Case summary as PDF",
    ),
    ("letter.translation", "Übersetzung", "Translation"),
    (
        "letter.translation_none",
        "keine (nur Deutsch)",
        "none (German only)",
    ),
    (
        "letter.client_language",
        "Briefsprache der Person",
        "the client's letter language",
    ),
    ("letter.show", "Anzeigen", "Show"),
    (
        "letter.unreviewed",
        "Diese Übersetzung ist noch nicht von einer Person geprüft, die die Sprache spricht. Sie wird nur gedruckt, wenn Sie das ausdrücklich bestätigen.",
        "This translation has not been checked by a person who speaks the language yet. It is printed only when you confirm that explicitly.",
    ),
    (
        "letter.confirm_unreviewed",
        "Ich weiß, dass die Übersetzung ungeprüft ist, und möchte sie trotzdem drucken.",
        "I know the translation is unchecked and want to print it anyway.",
    ),
    ("letter.reference", "Unser Zeichen", "Our reference"),
    ("letter.standard", "Im Standardtext", "In the standard text"),
    (
        "letter.hint",
        "Drucken Sie das Schreiben mit der Druckfunktion Ihres Browsers (A4, ohne Kopf- und Fußzeilen). Es enthält aus der Fallakte nur Name und Anschrift.",
        "Print the letter with your browser's print function (A4, without headers and footers). From the case file it contains only name and address.",
    ),
    (
        "letter.title",
        "Ankündigungsschreiben",
        "Announcement letter",
    ),
    (
        "search.export",
        "Alle Treffer als Tabelle herunterladen",
        "Download every match as a spreadsheet",
    ),
    (
        "report.title",
        "Bericht an das Jobcenter",
        "Report to the Jobcenter",
    ),
    (
        "report.heading",
        "Berichte an das Jobcenter",
        "Reports to the Jobcenter",
    ),
    (
        "report.hint",
        "Jeder Bericht enthält nur, was die Einwilligungen jetzt erlauben. Zeigen Sie ihn der*dem Teilnehmenden, bevor Sie ihn versenden.",
        "Each report contains only what the consents allow now. Show it to the participant before you send it.",
    ),
    (
        "report.preview_hint",
        "Vorschau für die*den Teilnehmende*n: genau das geht an das Jobcenter.",
        "Preview for the participant: exactly this goes to the Jobcenter.",
    ),
    (
        "report.send_title",
        "Als versendet erfassen",
        "Record as sent",
    ),
    ("report.channel", "Versandweg", "Channel"),
    ("report.recipient", "Empfänger", "Recipient"),
    ("report.sent_on", "Versendet am", "Sent on"),
    (
        "report.confirm",
        "Ich habe den Bericht der*dem Teilnehmenden gezeigt und ihn so versendet.",
        "I showed the report to the participant and sent it as it is.",
    ),
    (
        "report.confirm_missing",
        "Bitte bestätigen Sie, dass die*der Teilnehmende den Bericht gesehen hat.",
        "Please confirm that the participant saw the report.",
    ),
    ("report.send", "Als versendet erfassen", "Record as sent"),
    (
        "report.recorded",
        "Der Bericht ist als versendet erfasst; das PDF ist gespeichert.",
        "The report is recorded as sent; its PDF is kept.",
    ),
    ("report.sent_heading", "Versendete Berichte", "Reports sent"),
    (
        "report.none_sent",
        "Noch kein Bericht als versendet erfasst.",
        "No report recorded as sent yet.",
    ),
    ("report.download_sent", "PDF wie versendet", "PDF as sent"),
    ("out.print_letter", "Schreiben drucken", "Print letter"),
    ("out.letter_pdf", "als PDF", "as PDF"),
    (
        "out.letter_easy",
        "in Leichter Sprache (PDF)",
        "in Leichte Sprache, German easy-to-read (PDF)",
    ),
    (
        "release.withdraw",
        "Entbindung widerrufen",
        "Withdraw release",
    ),
    (
        "release.withdraw_hint",
        "Die Person kann eine Schweigepflichtentbindung jederzeit widerrufen; ab dann wird nichts mehr ausgetauscht.",
        "The person may withdraw a secrecy release at any time; from then on nothing is exchanged.",
    ),
    ("release.withdrawn", "Widerrufen am", "Withdrawn on"),
    // CATALOGUE-END
];

#[cfg(test)]
mod tests {
    use super::*;

    fn used_keys(src: &str) -> Vec<String> {
        let mut out = Vec::new();
        for pat in ["t(\"", "tr.t(\"", "ctx_t(&ctx, \""] {
            let mut rest = src;
            while let Some(i) = rest.find(pat) {
                rest = &rest[i + pat.len()..];
                if let Some(end) = rest.find('"') {
                    let key = &rest[..end];
                    let is_key = key.contains('.')
                        && key.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                        });
                    if is_key {
                        out.push(key.to_owned());
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_key_used_exists_in_both_languages() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut missing = Vec::new();
        for dir in ["templates", "src", "src/handlers", "src/handlers/case"] {
            let Ok(entries) = std::fs::read_dir(format!("{root}{dir}")) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() || path.ends_with("i18n.rs") {
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap_or_default();
                for key in used_keys(&src) {
                    if !CATALOGUE.iter().any(|(k, _, _)| *k == key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "missing catalogue keys:\n{}",
            missing.join("\n")
        );
    }

    /// Forms of gender-inclusive German other than the asterisk (`Psycholog*in`,
    /// `Klient*innen`, `die*den`), the one style of the interface: slashes
    /// (`Psychologin/Psychologe`), doublets (`Klientin oder den Klienten`), the binnen-I
    /// (`KlientIn`), colon and underscore (`Klient:in`, `Klient_in`).
    fn other_gender_forms(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        let words: Vec<(usize, &str)> = text
            .char_indices()
            .filter(|(i, c)| {
                c.is_alphabetic()
                    && text[..*i]
                        .chars()
                        .next_back()
                        .is_none_or(|p| !p.is_alphabetic())
            })
            .map(|(i, _)| {
                let end = text[i..]
                    .find(|c: char| !c.is_alphabetic())
                    .map_or(text.len(), |e| i + e);
                (i, &text[i..end])
            })
            .collect();
        const ARTICLES: &[&str] = &[
            "der", "die", "den", "des", "dem", "ein", "eine", "einen", "einem", "eines",
        ];
        for (n, (start, w)) in words.iter().enumerate() {
            let end = start + w.len();
            // Binnen-I: a lower-case letter, then "In"/"Innen" at the end of the word.
            for suffix in ["In", "Innen"] {
                if let Some(stem) = w.strip_suffix(suffix)
                    && stem.chars().next_back().is_some_and(char::is_lowercase)
                {
                    found.push((*w).to_owned());
                }
            }
            // Colon or underscore forms.
            let rest = &text[end..];
            let noun = w.starts_with(char::is_uppercase);
            if noun
                && (rest.starts_with(":in") || rest.starts_with("_in"))
                && !rest[3..].starts_with(|c: char| c.is_alphabetic() && c != 'n')
            {
                found.push(format!("{w}{}", &rest[..3]));
            }
            // A feminine form followed by "/", "oder" or "und" and the masculine one.
            let Some(stem) = w
                .strip_suffix("innen")
                .or_else(|| w.strip_suffix("in"))
                .filter(|s| noun && s.chars().count() >= 4)
            else {
                continue;
            };
            let mut k = n + 1;
            let Some((next_start, _)) = words.get(k) else {
                continue;
            };
            let between = text[end..*next_start].trim();
            let joined = between == "/" || ["oder", "und"].contains(&words[k].1);
            if !joined {
                continue;
            }
            if between != "/" {
                k += 1;
            }
            if words.get(k).is_some_and(|(_, a)| ARTICLES.contains(a)) {
                k += 1;
            }
            // The masculine form shares the stem but is no form of the first word itself
            // ("Termin oder Termine" is no doublet).
            if words
                .get(k)
                .is_some_and(|(_, m)| m.starts_with(stem) && !m.starts_with(w))
            {
                found.push(text[*start..words[k].0 + words[k].1.len()].to_owned());
            }
        }
        found
    }

    #[test]
    fn the_gender_check_knows_the_other_forms() {
        for bad in [
            "Psychologin/Psychologe",
            "an die Psychologin/den Psychologen",
            "für die Klientin oder den Klienten",
            "Name der Klientin / des Klienten",
            "Klientinnen und Klienten",
            "eine Psychologin oder ein Psychologe",
            "KlientIn",
            "Klient:innen",
            "Klient_in",
        ] {
            assert!(!other_gender_forms(bad).is_empty(), "{bad}");
        }
        for good in [
            "Psycholog*in",
            "Klient*innen",
            "die*den Klient*in",
            "SMS/E-Mail",
            "Termin oder Termine",
            "Beginn und Ende",
            "in Bildung oder Ausbildung",
            "Einwilligung/Widerruf",
        ] {
            assert!(
                other_gender_forms(good).is_empty(),
                "{good}: {:?}",
                other_gender_forms(good)
            );
        }
    }

    /// One style of gender-inclusive German across the interface: the catalogue's German
    /// texts, the templates and core's labels and messages (the words of the domain the pages
    /// show) use the asterisk, never a slash, doublet, binnen-I, colon or underscore.
    #[test]
    fn gender_inclusive_wording_uses_the_asterisk_everywhere() {
        let mut found: Vec<String> = CATALOGUE
            .iter()
            .flat_map(|(k, de, _)| {
                other_gender_forms(de)
                    .into_iter()
                    .map(move |f| format!("{k}: {f}"))
            })
            .collect();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        for dir in ["templates", "../core/src", "../core/src/case_file"] {
            let Ok(entries) = std::fs::read_dir(format!("{root}{dir}")) else {
                panic!("{dir} is missing");
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let src = std::fs::read_to_string(&path).unwrap_or_default();
                for (n, line) in src.lines().enumerate() {
                    if line.trim_start().starts_with("//") {
                        continue;
                    }
                    for f in other_gender_forms(line) {
                        found.push(format!("{}:{}: {f}", path.display(), n + 1));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "use the asterisk (Psycholog*in):\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn keys_are_unique_and_texts_non_empty() {
        let mut keys: Vec<&str> = CATALOGUE.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(n, keys.len(), "duplicate keys");
        for (k, de, en) in CATALOGUE {
            assert!(!de.is_empty() && !en.is_empty(), "{k}");
        }
    }
}

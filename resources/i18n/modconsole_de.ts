<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Free software under the MIT licence, provided without warranty.</source>
        <translation>Freie Software unter der MIT-Lizenz, ohne Gewährleistung.</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>Über {app}</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <source>Triage, recognition and analytics for customer communities.</source>
        <translation>Triage, Anerkennung und Auswertungen für Kunden-Communitys.</translation>
    </message>
    <message>
        <source>{version} on {system} {machine}</source>
        <translation>{version} unter {system} {machine}</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Protokolldateien</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <source>Sync now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <source>Fetch what changed on the community</source>
        <translation>Änderungen aus der Community abrufen</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Next question</source>
        <translation>Nächste Frage</translation>
    </message>
    <message>
        <source>Highlight the next question</source>
        <translation>Die nächste Frage markieren</translation>
    </message>
    <message>
        <source>Previous question</source>
        <translation>Vorherige Frage</translation>
    </message>
    <message>
        <source>Highlight the previous one</source>
        <translation>Die vorherige Frage markieren</translation>
    </message>
    <message>
        <source>Open thread</source>
        <translation>Thema öffnen</translation>
    </message>
    <message>
        <source>Open the highlighted question</source>
        <translation>Die markierte Frage öffnen</translation>
    </message>
    <message>
        <source>Close thread</source>
        <translation>Thema schließen</translation>
    </message>
    <message>
        <source>Back to the full-width queue</source>
        <translation>Zurück zur Warteschlange in voller Breite</translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation>Im Browser öffnen</translation>
    </message>
    <message>
        <source>The question on the community</source>
        <translation>Die Frage in der Community</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Jump to the search box</source>
        <translation>Zum Suchfeld springen</translation>
    </message>
    <message>
        <source>Go to the question list</source>
        <translation>Zur Fragenliste</translation>
    </message>
    <message>
        <source>Focus the table</source>
        <translation>Die Tabelle fokussieren</translation>
    </message>
    <message>
        <source>Assign to me</source>
        <translation>Mir zuweisen</translation>
    </message>
    <message>
        <source>Take the highlighted question</source>
        <translation>Die markierte Frage übernehmen</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>Zuweisen…</translation>
    </message>
    <message>
        <source>Assign it to a teammate or a group, or unassign it</source>
        <translation>Einer Kollegin, einem Kollegen oder einer Gruppe zuweisen oder die Zuweisung aufheben</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Meine</translation>
    </message>
    <message>
        <source>Show the open questions assigned to you or your groups</source>
        <translation>Die offenen Fragen zeigen, die Ihnen oder Ihren Gruppen zugewiesen sind</translation>
    </message>
    <message>
        <source>Next reply</source>
        <translation>Nächste Antwort</translation>
    </message>
    <message>
        <source>Select the next reply</source>
        <translation>Die nächste Antwort auswählen</translation>
    </message>
    <message>
        <source>Previous reply</source>
        <translation>Vorherige Antwort</translation>
    </message>
    <message>
        <source>Select the previous reply</source>
        <translation>Die vorherige Antwort auswählen</translation>
    </message>
    <message>
        <source>Accept / unaccept reply</source>
        <translation>Antwort als Lösung akzeptieren / zurücknehmen</translation>
    </message>
    <message>
        <source>Accept the selected reply of the highlighted question (unaccept when accepted)</source>
        <translation>Die ausgewählte Antwort der markierten Frage als Lösung akzeptieren (bei einer akzeptierten Lösung zurücknehmen)</translation>
    </message>
    <message>
        <source>Reply…</source>
        <translation>Antworten…</translation>
    </message>
    <message>
        <source>Write a reply or a staff-only whisper to the open question (Ctrl+Enter sends, Esc closes)</source>
        <translation>Eine Antwort oder eine interne Notiz (nur für Mitarbeitende) zur offenen Frage schreiben (Strg+Eingabe sendet, Esc schließt)</translation>
    </message>
    <message>
        <source>Response-time targets…</source>
        <translation>Reaktionszeit-Ziele…</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>This list</source>
        <translation>Diese Liste</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Über</translation>
    </message>
    <message>
        <source>Show the {page} page</source>
        <translation>Die Seite „{page}“ anzeigen</translation>
    </message>
</context>
<context>
    <name>AnalyticsSettingsDialog</name>
    <message>
        <source>No groups in the cache yet (sync to see them).</source>
        <translation>Noch keine Gruppen im Cache (zum Anzeigen synchronisieren).</translation>
    </message>
    <message>
        <source>Groups on this site (members): {list}.</source>
        <translation>Gruppen dieser Site (Mitglieder): {list}.</translation>
    </message>
    <message>
        <source>Automatic groups: {list}.</source>
        <translation>Automatische Gruppen: {list}.</translation>
    </message>
    <message>
        <source>Analytics settings</source>
        <translation>Auswertungseinstellungen</translation>
    </message>
    <message>
        <source>Who counts as an employee</source>
        <translation>Wer als Mitarbeiter zählt</translation>
    </message>
    <message>
        <source>Answers by employees are not peer-to-peer: this changes the peer-to-peer first responses and solutions, and who counts as a customer contributor.</source>
        <translation>Antworten von Mitarbeitern zählen nicht als Peer-to-Peer: Das ändert die Peer-to-Peer-Erstreaktionen und -Lösungen und wer als aktiver Kunde zählt.</translation>
    </message>
    <message>
        <source>Admins and moderators</source>
        <translation>Administratoren und Moderatoren</translation>
    </message>
    <message>
        <source>Members whose e-mail domain is an admin&apos;s or moderator&apos;s (free-mail domains never count)</source>
        <translation>Mitglieder mit der E-Mail-Domain eines Administrators oder Moderators (Freemail-Domains zählen nie)</translation>
    </message>
    <message>
        <source>Also these e-mail domains</source>
        <translation>Außerdem diese E-Mail-Domains</translation>
    </message>
    <message>
        <source>Also these usernames</source>
        <translation>Außerdem diese Benutzernamen</translation>
    </message>
    <message>
        <source>Also members of these groups</source>
        <translation>Außerdem Mitglieder dieser Gruppen</translation>
    </message>
    <message>
        <source>employees</source>
        <translation>mitarbeiter</translation>
    </message>
    <message>
        <source>One per line, e.g.
{example}</source>
        <translation>Einer pro Zeile, z. B.
{example}</translation>
    </message>
    <message>
        <source>Groups on this site: loading…</source>
        <translation>Gruppen dieser Site: wird geladen…</translation>
    </message>
    <message>
        <source>Ticket deflection</source>
        <translation>Vermiedene Support-Tickets</translation>
    </message>
    <message>
        <source>Tickets deflected = views of the solved questions × the rate; support cost avoided = tickets deflected × the cost per ticket.</source>
        <translation>Vermiedene Tickets = Aufrufe der gelösten Fragen × Quote; eingesparte Supportkosten = vermiedene Tickets × Kosten pro Ticket.</translation>
    </message>
    <message>
        <source>The currency shown with the cost figures, e.g. USD, EUR, €</source>
        <translation>Die Währung der Kostenangaben, z. B. USD, EUR, €</translation>
    </message>
    <message>
        <source>Deflection rate</source>
        <translation>Vermeidungsquote</translation>
    </message>
    <message>
        <source>% of a solved question&apos;s views would otherwise have become a ticket</source>
        <translation>% der Aufrufe einer gelösten Frage wären sonst ein Ticket geworden</translation>
    </message>
    <message>
        <source>Cost per ticket</source>
        <translation>Kosten pro Ticket</translation>
    </message>
    <message>
        <source>shown with the savings</source>
        <translation>wird bei den Einsparungen angezeigt</translation>
    </message>
    <message>
        <source>Closed months keep their frozen figures in reports; after saving, the dashboard offers to recompute them with these settings.</source>
        <translation>Abgeschlossene Monate behalten in Berichten ihre eingefrorenen Werte; nach dem Speichern bietet das Dashboard an, sie mit diesen Einstellungen neu zu berechnen.</translation>
    </message>
    <message>
        <source>Could not read the settings: {error}</source>
        <translation>Die Einstellungen konnten nicht gelesen werden: {error}</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not an e-mail domain (expected something like acme.com).</source>
        <translation>„{value}“ ist keine E-Mail-Domain (erwartet wird etwa acme.com).</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a username (letters, digits, _ . - only).</source>
        <translation>„{value}“ ist kein Benutzername (nur Buchstaben, Ziffern, _ . -).</translation>
    </message>
    <message>
        <source>Enter the rate as a number of percent, e.g. 5.</source>
        <translation>Geben Sie die Quote in Prozent an, z. B. 5.</translation>
    </message>
    <message>
        <source>The rate must be between 0 and 100 %.</source>
        <translation>Die Quote muss zwischen 0 und 100 % liegen.</translation>
    </message>
    <message>
        <source>Enter the cost as a number, e.g. 25.00.</source>
        <translation>Geben Sie die Kosten als Zahl an, z. B. 25.00.</translation>
    </message>
    <message>
        <source>The cost per ticket cannot be negative.</source>
        <translation>Die Kosten pro Ticket dürfen nicht negativ sein.</translation>
    </message>
    <message>
        <source>Name the currency, e.g. USD.</source>
        <translation>Geben Sie die Währung an, z. B. EUR.</translation>
    </message>
    <message>
        <source>Not in the cache (yet): {list}. Saved anyway.</source>
        <translation>(Noch) nicht im Cache: {list}. Trotzdem gespeichert.</translation>
    </message>
    <message>
        <source>Nothing was saved: please correct the fields marked in red.</source>
        <translation>Nichts gespeichert: Bitte korrigieren Sie die rot markierten Felder.</translation>
    </message>
    <message>
        <source>Nothing was saved: {error}</source>
        <translation>Nichts gespeichert: {error}</translation>
    </message>
</context>
<context>
    <name>Assign</name>
    <message>
        <source>Not assigned</source>
        <translation>Nicht zugewiesen</translation>
    </message>
    <message>
        <source>Assigned to {who}</source>
        <translation>Zugewiesen an {who}</translation>
    </message>
    <message>
        <source>Assigned to {who} — queued, not sent yet</source>
        <translation>Zugewiesen an {who} — vorgemerkt, noch nicht gesendet</translation>
    </message>
    <message>
        <source>topic {id}</source>
        <translation>Thema {id}</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign</source>
        <translation>Zuweisen</translation>
    </message>
    <message>
        <source>Who takes “{title}”?</source>
        <translation>Wer übernimmt „{title}“?</translation>
    </message>
    <message>
        <source>Type a name or a group…</source>
        <translation>Namen oder Gruppe eingeben…</translation>
    </message>
    <message>
        <source>Filter teammates and groups</source>
        <translation>Kolleginnen, Kollegen und Gruppen filtern</translation>
    </message>
    <message>
        <source>Teammates and groups</source>
        <translation>Kolleginnen, Kollegen und Gruppen</translation>
    </message>
    <message>
        <source>Me (@{name})</source>
        <translation>Ich (@{name})</translation>
    </message>
    <message>
        <source>Group: {name}</source>
        <translation>Gruppe: {name}</translation>
    </message>
    <message>
        <source>Note for the assignee (optional)</source>
        <translation>Notiz für die zugewiesene Person (optional)</translation>
    </message>
    <message>
        <source>Note for the assignee</source>
        <translation>Notiz für die zugewiesene Person</translation>
    </message>
    <message>
        <source>Unassign</source>
        <translation>Zuweisung aufheben</translation>
    </message>
</context>
<context>
    <name>AssignStrip</name>
    <message>
        <source>Assign to me</source>
        <translation>Mir zuweisen</translation>
    </message>
    <message>
        <source>Take this question (M)</source>
        <translation>Diese Frage übernehmen (M)</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>Zuweisen…</translation>
    </message>
    <message>
        <source>Assign it to a teammate or a group, or unassign it (Shift+M)</source>
        <translation>Einer Kollegin, einem Kollegen oder einer Gruppe zuweisen oder die Zuweisung aufheben (Umschalt+M)</translation>
    </message>
</context>
<context>
    <name>AwardDialog</name>
    <message>
        <source>Award a badge</source>
        <translation>Abzeichen verleihen</translation>
    </message>
    <message>
        <source>{badge}  ({tier}, several times)</source>
        <translation>{badge}  ({tier}, mehrfach)</translation>
    </message>
    <message>
        <source>{badge}  ({tier})</source>
        <translation>{badge}  ({tier})</translation>
    </message>
    <message>
        <source>Pick a post of theirs, or paste a link to one (optional)</source>
        <translation>Einen Beitrag des Mitglieds wählen oder einen Link einfügen (optional)</translation>
    </message>
    <message>
        <source>Why (kept in the audit log)</source>
        <translation>Begründung (wird im Prüfprotokoll gespeichert)</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Abzeichen</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Anlass</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Queue award</source>
        <translation>Verleihung einreihen</translation>
    </message>
    <message>
        <source>Choose a badge.</source>
        <translation>Wählen Sie ein Abzeichen.</translation>
    </message>
    <message>
        <source>Enter the member&apos;s username.</source>
        <translation>Geben Sie den Benutzernamen des Mitglieds ein.</translation>
    </message>
    <message>
        <source>Queued: {action}</source>
        <translation>Eingereiht: {action}</translation>
    </message>
</context>
<context>
    <name>BadgesPage</name>
    <message>
        <source>Badges</source>
        <translation>Abzeichen</translation>
    </message>
    <message>
        <source>Holders of the selected badge</source>
        <translation>Inhaber des ausgewählten Abzeichens</translation>
    </message>
    <message>
        <source>Award…</source>
        <translation>Verleihen…</translation>
    </message>
    <message>
        <source>Bulk award…</source>
        <translation>Sammelverleihung…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>Entziehen…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Badges&lt;/b&gt;</source>
        <translation>&lt;b&gt;Abzeichen&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Holders</source>
        <translation>Inhaber</translation>
    </message>
    <message numerus="yes">
        <source>%n badge(s)</source>
        <translation>
            <numerusform>%n Abzeichen</numerusform>
            <numerusform>%n Abzeichen</numerusform>
        </translation>
    </message>
    <message>
        <source>{n} can be awarded by hand</source>
        <translation>{n} manuell verleihbar</translation>
    </message>
    <message>
        <source>No description.</source>
        <translation>Keine Beschreibung.</translation>
    </message>
    <message>
        <source>awarded by hand</source>
        <translation>manuell verliehen</translation>
    </message>
    <message>
        <source>awarded automatically by the forum</source>
        <translation>automatisch vom Forum verliehen</translation>
    </message>
    <message>
        <source>can be held several times</source>
        <translation>mehrfach erhältlich</translation>
    </message>
    <message>
        <source>held once</source>
        <translation>einmalig</translation>
    </message>
    <message>
        <source>usable as a title</source>
        <translation>als Titel nutzbar</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>deaktiviert</translation>
    </message>
    <message>
        <source>holders not fetched: {why}</source>
        <translation>Inhaber nicht abgerufen: {why}</translation>
    </message>
    <message>
        <source>holders are fetched from the community when online</source>
        <translation>Inhaber werden online von der Community abgerufen</translation>
    </message>
    <message>
        <source>fetching its holders from the community…</source>
        <translation>Inhaber werden von der Community abgerufen …</translation>
    </message>
    <message>
        <source>Select the holder whose badge you want to revoke.</source>
        <translation>Wählen Sie den Inhaber, dem Sie das Abzeichen entziehen möchten.</translation>
    </message>
    <message>
        <source>Revoke badge</source>
        <translation>Abzeichen entziehen</translation>
    </message>
    <message>
        <source>Why revoke “{badge}” from @{user}?</source>
        <translation>Warum wird @{user} das Abzeichen „{badge}“ entzogen?</translation>
    </message>
    <message>
        <source>Queued: {action}</source>
        <translation>Eingereiht: {action}</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Try now</source>
        <translation>Jetzt versuchen</translation>
    </message>
    <message>
        <source>Send what waits now, and check whether the community answers again</source>
        <translation>Jetzt senden, was wartet, und prüfen, ob die Community wieder antwortet</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
</context>
<context>
    <name>Bulk</name>
    <message>
        <source>Assign…</source>
        <translation>Zuweisen…</translation>
    </message>
    <message>
        <source>Nudge…</source>
        <translation>Erinnern…</translation>
    </message>
    <message>
        <source>Snooze 7 days…</source>
        <translation>7 Tage zurückstellen…</translation>
    </message>
    <message>
        <source>Close…</source>
        <translation>Schließen…</translation>
    </message>
</context>
<context>
    <name>BulkAwardDialog</name>
    <message>
        <source>Bulk award</source>
        <translation>Sammelverleihung</translation>
    </message>
    <message>
        <source>{badge}  ({tier}, several times)</source>
        <translation>{badge}  ({tier}, mehrfach)</translation>
    </message>
    <message>
        <source>{badge}  ({tier})</source>
        <translation>{badge}  ({tier})</translation>
    </message>
    <message>
        <source>Choose a badge…</source>
        <translation>Abzeichen wählen…</translation>
    </message>
    <message numerus="yes">
        <source>The %n selected member(s)</source>
        <translation>
            <numerusform>Das ausgewählte Mitglied</numerusform>
            <numerusform>Die %n ausgewählten Mitglieder</numerusform>
        </translation>
    </message>
    <message>
        <source>A CSV with one username or e-mail per line</source>
        <translation>Eine CSV mit einem Benutzernamen oder einer E-Mail-Adresse pro Zeile</translation>
    </message>
    <message>
        <source>alice
bob@acme.example
…  (paste here, or load a file)</source>
        <translation>alice
bob@acme.example
…  (hier einfügen oder eine Datei laden)</translation>
    </message>
    <message>
        <source>Load file…</source>
        <translation>Datei laden…</translation>
    </message>
    <message>
        <source>Link to the post or topic it is for (required for badges held several times)</source>
        <translation>Link zum Beitrag oder Thema, für das es verliehen wird (Pflicht bei mehrfach erhältlichen Abzeichen)</translation>
    </message>
    <message>
        <source>Why (kept in the audit log)</source>
        <translation>Begründung (wird im Prüfprotokoll gespeichert)</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Abzeichen</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Anlass</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Dry run: what each member would get</source>
        <translation>Probelauf: was jedes Mitglied erhalten würde</translation>
    </message>
    <message>
        <source>Result for each member</source>
        <translation>Ergebnis je Mitglied</translation>
    </message>
    <message>
        <source>Nothing is queued until you confirm the preview.</source>
        <translation>Erst nach Bestätigung der Vorschau wird etwas eingereiht.</translation>
    </message>
    <message>
        <source>Queue awards</source>
        <translation>Verleihungen einreihen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>CSV of usernames or e-mails</source>
        <translation>CSV mit Benutzernamen oder E-Mail-Adressen</translation>
    </message>
    <message>
        <source>CSV (*.csv *.txt);;All (*)</source>
        <translation>CSV (*.csv *.txt);;Alle (*)</translation>
    </message>
    <message>
        <source>Choose the badge to award first.</source>
        <translation>Wählen Sie zuerst das Abzeichen.</translation>
    </message>
    <message>
        <source>No badge can be awarded by hand on this community.</source>
        <translation>In dieser Community kann kein Abzeichen manuell verliehen werden.</translation>
    </message>
    <message>
        <source>Preview for {badge}: {summary}.</source>
        <translation>Vorschau für {badge}: {summary}.</translation>
    </message>
    <message>
        <source>line {n}: “{text}” — {problem}</source>
        <translation>Zeile {n}: „{text}“ – {problem}</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>… und {n} weitere</translation>
    </message>
    <message numerus="yes">
        <source>Queue %n award(s)</source>
        <translation>
            <numerusform>%n Verleihung einreihen</numerusform>
            <numerusform>%n Verleihungen einreihen</numerusform>
        </translation>
    </message>
    <message>
        <source>Bulk award of “{badge}”: {n} queued</source>
        <translation>Sammelverleihung von „{badge}“: {n} eingereiht</translation>
    </message>
    <message>
        <source>Bulk award of “{badge}”: {parts}.</source>
        <translation>Sammelverleihung von „{badge}“: {parts}.</translation>
    </message>
</context>
<context>
    <name>BulkBar</name>
    <message>
        <source>Action for the selected items</source>
        <translation>Aktion für die ausgewählten Einträge</translation>
    </message>
    <message>
        <source>Apply…</source>
        <translation>Anwenden…</translation>
    </message>
    <message>
        <source>Nothing to do</source>
        <translation>Nichts zu tun</translation>
    </message>
    <message>
        <source>Bulk action</source>
        <translation>Sammelaktion</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Einreihen</translation>
    </message>
</context>
<context>
    <name>BulkTexts</name>
    <message numerus="yes">
        <source>Nudge %n asker(s)?</source>
        <translation>
            <numerusform>%n Fragesteller erinnern?</numerusform>
            <numerusform>%n Fragesteller erinnern?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Snooze %n question(s) for {days} days?</source>
        <translation>
            <numerusform>%n Frage für {days} Tage zurückstellen?</numerusform>
            <numerusform>%n Fragen für {days} Tage zurückstellen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Close %n topic(s)?</source>
        <translation>
            <numerusform>%n Thema schließen?</numerusform>
            <numerusform>%n Themen schließen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>“{action}” for %n item(s)?</source>
        <translation>
            <numerusform>„{action}“ für %n Eintrag?</numerusform>
            <numerusform>„{action}“ für %n Einträge?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{action} for %n item(s)?</source>
        <translation>
            <numerusform>{action} für %n Eintrag?</numerusform>
            <numerusform>{action} für %n Einträge?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped: {reasons}.</source>
        <translation>
            <numerusform>%n übersprungen: {reasons}.</numerusform>
            <numerusform>%n übersprungen: {reasons}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Snoozed %n question(s).</source>
        <translation>
            <numerusform>%n Frage zurückgestellt.</numerusform>
            <numerusform>%n Fragen zurückgestellt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued %n action(s); they are sent with the next push.</source>
        <translation>
            <numerusform>%n Aktion eingereiht; sie wird mit dem nächsten Senden übertragen.</numerusform>
            <numerusform>%n Aktionen eingereiht; sie werden mit dem nächsten Senden übertragen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused (the state changed meanwhile).</source>
        <translation>
            <numerusform>%n abgelehnt (der Zustand hat sich inzwischen geändert).</numerusform>
            <numerusform>%n abgelehnt (der Zustand hat sich inzwischen geändert).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n selected</source>
        <translation>
            <numerusform>%n ausgewählt</numerusform>
            <numerusform>%n ausgewählt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CandidatesModel</name>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>PNG</source>
        <translation>PNG</translation>
    </message>
    <message>
        <source>Save this chart as an image</source>
        <translation>Dieses Diagramm als Bild speichern</translation>
    </message>
    <message>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <source>Save this chart&apos;s data as CSV</source>
        <translation>Die Daten dieses Diagramms als CSV speichern</translation>
    </message>
    <message>
        <source>Save the {chart} chart as an image</source>
        <translation>Das Diagramm „{chart}“ als Bild speichern</translation>
    </message>
    <message>
        <source>Save the {chart} chart&apos;s data as CSV</source>
        <translation>Die Daten des Diagramms „{chart}“ als CSV speichern</translation>
    </message>
    <message>
        <source>Hatched, hollow points: incomplete, the sync is still running</source>
        <translation>Schraffiert, hohle Punkte: unvollständig, die Synchronisierung läuft noch</translation>
    </message>
    <message>
        <source>{chart} chart</source>
        <translation>Diagramm „{chart}“</translation>
    </message>
    <message>
        <source>{series} over time; click a point to open its questions.</source>
        <translation>{series} im Zeitverlauf; klicken Sie auf einen Punkt, um seine Fragen zu öffnen.</translation>
    </message>
    <message>
        <source>so far</source>
        <translation>bisher</translation>
    </message>
    <message>
        <source>{chart} — {period}</source>
        <translation>{chart} – {period}</translation>
    </message>
    <message>
        <source> (hatched: incomplete, sync running)</source>
        <translation> (schraffiert: unvollständig, Synchronisierung läuft)</translation>
    </message>
    <message>
        <source> (last bar so far)</source>
        <translation> (letzter Balken: bisher)</translation>
    </message>
    <message>
        <source>week {week} of {year}</source>
        <translation>KW {week}/{year}</translation>
    </message>
    <message>
        <source>{label} (so far)</source>
        <translation>{label} (bisher)</translation>
    </message>
    <message>
        <source>{label} (incomplete: sync running)</source>
        <translation>{label} (unvollständig: Synchronisierung läuft)</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <source>Members and contributors</source>
        <translation>Mitglieder und aktive Mitglieder</translation>
    </message>
    <message>
        <source>New members</source>
        <translation>Neue Mitglieder</translation>
    </message>
    <message>
        <source>Active contributors</source>
        <translation>Aktive Mitglieder</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>Fragen</translation>
    </message>
    <message>
        <source>Asked</source>
        <translation>Gestellt</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Beantwortet</translation>
    </message>
    <message>
        <source>Solved</source>
        <translation>Gelöst</translation>
    </message>
    <message>
        <source>Unanswered backlog</source>
        <translation>Unbeantworteter Rückstand</translation>
    </message>
    <message>
        <source>Time to first response (hours)</source>
        <translation>Zeit bis zur ersten Reaktion (Stunden)</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>Median</translation>
    </message>
    <message>
        <source>90th percentile</source>
        <translation>90. Perzentil</translation>
    </message>
    <message>
        <source>Support health (%)</source>
        <translation>Support-Qualität (%)</translation>
    </message>
    <message>
        <source>Answer rate</source>
        <translation>Antwortquote</translation>
    </message>
    <message>
        <source>Solution rate</source>
        <translation>Lösungsquote</translation>
    </message>
    <message>
        <source>Peer-to-peer first responses</source>
        <translation>Peer-to-Peer-Erstreaktionen</translation>
    </message>
    <message>
        <source>SLA attainment</source>
        <translation>SLA-Erfüllung</translation>
    </message>
</context>
<context>
    <name>CheatSheet</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Focus</source>
        <translation>Fokus</translation>
    </message>
    <message>
        <source>Next / previous control</source>
        <translation>Nächstes / vorheriges Element</translation>
    </message>
    <message>
        <source>Tab / Shift+Tab</source>
        <translation>Tab / Umschalt+Tab</translation>
    </message>
    <message>
        <source>Navigation → filters → list → thread</source>
        <translation>Navigation → Filter → Liste → Thema</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Menü</translation>
    </message>
    <message>
        <source>Single-letter keys work on the queue page, not while typing in a text field.</source>
        <translation>Einzelbuchstaben-Tasten wirken auf der Warteschlangen-Seite, nicht beim Tippen in einem Textfeld.</translation>
    </message>
</context>
<context>
    <name>ChoiceDialog</name>
    <message>
        <source>Note for the journal (optional), e.g. “handled by phone”</source>
        <translation>Notiz für das Protokoll (optional), z. B. „telefonisch geklärt“</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Eingereiht</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Server&apos;s message</source>
        <translation>Meldung des Servers</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Server response</source>
        <translation>Antwort des Servers</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>Abzeichen</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Granted</source>
        <translation>Verliehen</translation>
    </message>
    <message>
        <source>Awarded</source>
        <translation>Vergabe</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Anlass</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Unternehmen</translation>
    </message>
    <message>
        <source>TL</source>
        <translation>VS</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ausgang</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Punkte</translation>
    </message>
    <message>
        <source>Solved</source>
        <translation>Gelöst</translation>
    </message>
    <message>
        <source>First</source>
        <translation>Erste</translation>
    </message>
    <message>
        <source>Helped</source>
        <translation>Geholfen</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>Likes</translation>
    </message>
    <message>
        <source>Nominated</source>
        <translation>Nominiert</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Kriterium</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>Rohwert</translation>
    </message>
    <message>
        <source>Normalised</source>
        <translation>Normiert</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Punkte</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>Befürwortungen</translation>
    </message>
    <message>
        <source>Nominated by</source>
        <translation>Nominiert von</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Superuser</source>
        <translation>Superuser</translation>
    </message>
    <message>
        <source>Last post</source>
        <translation>Letzter Beitrag</translation>
    </message>
    <message>
        <source>Months inactive</source>
        <translation>Monate inaktiv</translation>
    </message>
    <message>
        <source>Superuser since</source>
        <translation>Superuser seit</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Frage</translation>
    </message>
    <message>
        <source>Asker</source>
        <translation>Fragesteller</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Diese Woche</translation>
    </message>
    <message>
        <source>Reply by</source>
        <translation>Antwort von</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>Verfasst</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>Gründe</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Thema</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Verfasser</translation>
    </message>
</context>
<context>
    <name>ComingSoonPage</name>
    <message>
        <source>This page is coming soon.</source>
        <translation>Diese Seite folgt in Kürze.</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>import customer accounts (CSV)</source>
        <translation>Kundenkonten importieren (CSV)</translation>
    </message>
    <message>
        <source>import a survey (CSV)</source>
        <translation>Umfrage importieren (CSV)</translation>
    </message>
    <message>
        <source>needs a staff key</source>
        <translation>erfordert einen Team-Schlüssel</translation>
    </message>
    <message>
        <source>Last 3 months</source>
        <translation>Letzte 3 Monate</translation>
    </message>
    <message>
        <source>Last 6 months</source>
        <translation>Letzte 6 Monate</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>Letzte 12 Monate</translation>
    </message>
    <message>
        <source>Last 24 months</source>
        <translation>Letzte 24 Monate</translation>
    </message>
    <message>
        <source>This month so far</source>
        <translation>Dieser Monat bisher</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Letzte 90 Tage</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Monat</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Woche</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Monthly report</source>
        <translation>Monatsbericht</translation>
    </message>
    <message>
        <source>Save as Markdown…</source>
        <translation>Als Markdown speichern…</translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation>Als CSV speichern…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Customer accounts (for the attach rate) and survey scores (CSAT, effort)</source>
        <translation>Kundenkonten (für die Abdeckungsquote) und Umfragewerte (CSAT, Aufwand)</translation>
    </message>
    <message>
        <source>Customer accounts (CSV: name,domains)…</source>
        <translation>Kundenkonten (CSV: name,domains)…</translation>
    </message>
    <message>
        <source>Survey scores (CSV: date,csat,effort)…</source>
        <translation>Umfragewerte (CSV: date,csat,effort)…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Optionen…</translation>
    </message>
    <message>
        <source>Who counts as an employee, and the ticket-deflection assumptions</source>
        <translation>Wer als Mitarbeiter zählt und die Annahmen zu vermiedenen Tickets</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>by</source>
        <translation>nach</translation>
    </message>
    <message>
        <source>Accept recomputed values</source>
        <translation>Neu berechnete Werte übernehmen</translation>
    </message>
    <message>
        <source>Loading charts…</source>
        <translation>Diagramme werden geladen…</translation>
    </message>
    <message>
        <source>By category</source>
        <translation>Nach Kategorie</translation>
    </message>
    <message>
        <source>By company</source>
        <translation>Nach Unternehmen</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>Fragen</translation>
    </message>
    <message>
        <source>Answer rate</source>
        <translation>Antwortquote</translation>
    </message>
    <message>
        <source>Solution rate</source>
        <translation>Lösungsquote</translation>
    </message>
    <message>
        <source>Median first response</source>
        <translation>Median erste Reaktion</translation>
    </message>
    <message>
        <source>New topics</source>
        <translation>Neue Themen</translation>
    </message>
    <message>
        <source>Contributors</source>
        <translation>Aktive Mitglieder</translation>
    </message>
    <message>
        <source>Distinct members who posted there in the period (by category: periods up to 3 months).</source>
        <translation>Verschiedene Mitglieder, die dort im Zeitraum geschrieben haben (nach Kategorie: Zeiträume bis 3 Monate).</translation>
    </message>
    <message>
        <source>Breakdown</source>
        <translation>Aufschlüsselung</translation>
    </message>
    <message>
        <source>not offered by this platform</source>
        <translation>auf dieser Plattform nicht verfügbar</translation>
    </message>
    <message>
        <source>Group by</source>
        <translation>Gruppieren nach</translation>
    </message>
    <message>
        <source>Breakdown by</source>
        <translation>Aufschlüsseln nach</translation>
    </message>
    <message>
        <source>Figures by category or by company; double-click a row to open its questions</source>
        <translation>Werte nach Kategorie oder Unternehmen; Doppelklick auf eine Zeile öffnet ihre Fragen</translation>
    </message>
    <message>
        <source>Double-click a row, or click a chart, to open those questions.</source>
        <translation>Doppelklicken Sie auf eine Zeile oder klicken Sie auf ein Diagramm, um diese Fragen zu öffnen.</translation>
    </message>
    <message>
        <source>  (so far: the last bar is still running)</source>
        <translation>  (bisher; letzter Balken läuft)</translation>
    </message>
    <message>
        <source>{period}{so_far}  ·  compared with {previous}</source>
        <translation>{period}{so_far}  ·  gegenüber {previous}</translation>
    </message>
    <message>
        <source>all history is in; members and server figures follow</source>
        <translation>der ganze Verlauf ist da; Mitglieder und Serverzahlen folgen</translation>
    </message>
    <message>
        <source>history to {month}</source>
        <translation>Verlauf bis {month}</translation>
    </message>
    <message>
        <source>no month complete yet</source>
        <translation>noch kein Monat vollständig</translation>
    </message>
    <message>
        <source>Sync in progress: {where}. Figures marked * and hatched in the charts count only what is synced so far; they are not final.</source>
        <translation>Synchronisierung läuft: {where}. Mit * markierte und in den Diagrammen schraffierte Zahlen zählen nur, was bisher synchronisiert ist; sie sind nicht endgültig.</translation>
    </message>
    <message>
        <source>Employees: {employees}.  Figures marked “server” come from the site&apos;s admin reports. Hover a tile&apos;s ? for its definition.</source>
        <translation>Mitarbeiter: {employees}.  Mit „Server“ markierte Werte stammen aus den Admin-Berichten der Site. Zeigen Sie auf das ? einer Kachel, um ihre Definition zu sehen.</translation>
    </message>
    <message numerus="yes">
        <source>%n figure(s) of frozen month(s) {months} differ from a recomputation today (late replies, edits or deletions, or changed settings). Reports keep the frozen values.</source>
        <translation>
            <numerusform>%n Wert der eingefrorenen Monate {months} weicht von einer heutigen Neuberechnung ab (späte Antworten, Bearbeitungen oder Löschungen oder geänderte Einstellungen). Berichte behalten die eingefrorenen Werte.</numerusform>
            <numerusform>%n Werte der eingefrorenen Monate {months} weichen von einer heutigen Neuberechnung ab (späte Antworten, Bearbeitungen oder Löschungen oder geänderte Einstellungen). Berichte behalten die eingefrorenen Werte.</numerusform>
        </translation>
    </message>
    <message>
        <source>Questions in {name}, {period}</source>
        <translation>Fragen in {name}, {period}</translation>
    </message>
    <message>
        <source> (so far)</source>
        <translation> (bisher)</translation>
    </message>
    <message>
        <source>Members active in {when}</source>
        <translation>Aktive Mitglieder im Zeitraum {when}</translation>
    </message>
    <message>
        <source>Unanswered questions asked in {when}</source>
        <translation>Unbeantwortete Fragen aus dem Zeitraum {when}</translation>
    </message>
    <message>
        <source>Answered questions asked in {when}</source>
        <translation>Beantwortete Fragen aus dem Zeitraum {when}</translation>
    </message>
    <message>
        <source>Questions asked in {when}</source>
        <translation>Fragen aus dem Zeitraum {when}</translation>
    </message>
    <message>
        <source>Import CSV</source>
        <translation>CSV importieren</translation>
    </message>
    <message>
        <source>CSV (*.csv *.txt)</source>
        <translation>CSV (*.csv *.txt)</translation>
    </message>
    <message>
        <source>Could not read {name}: {error}</source>
        <translation>{name} konnte nicht gelesen werden: {error}</translation>
    </message>
    <message>
        <source>Customer accounts</source>
        <translation>Kundenkonten</translation>
    </message>
    <message>
        <source>Survey answers</source>
        <translation>Umfrageantworten</translation>
    </message>
    <message>
        <source>{what} from {name}: {summary}</source>
        <translation>{what} aus {name}: {summary}</translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation>Diagramm speichern</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>Save chart data</source>
        <translation>Diagrammdaten speichern</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Save monthly report</source>
        <translation>Monatsbericht speichern</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <source>d MMM HH:mm:ss</source>
        <translation>d. MMM HH:mm:ss</translation>
    </message>
    <message>
        <source>d MMM HH:mm</source>
        <translation>d. MMM HH:mm</translation>
    </message>
    <message>
        <source>d MMM yyyy HH:mm</source>
        <translation>d. MMM yyyy HH:mm</translation>
    </message>
    <message>
        <source>d MMM yyyy</source>
        <translation>d. MMM yyyy</translation>
    </message>
    <message>
        <source>dd MMM yyyy</source>
        <translation>dd.MM.yyyy</translation>
    </message>
    <message>
        <source>yyyy-MM-dd</source>
        <translation>dd.MM.yyyy</translation>
    </message>
    <message>
        <source>ddd dd MMM yyyy</source>
        <translation>ddd, dd.MM.yyyy</translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>{d}d</source>
        <translation>{d} T.</translation>
    </message>
    <message>
        <source>{d}d {h}h</source>
        <translation>{d} T. {h} Std.</translation>
    </message>
    <message>
        <source>{h}h {m}m</source>
        <translation>{h} Std. {m} Min.</translation>
    </message>
    <message>
        <source>{h}h</source>
        <translation>{h} Std.</translation>
    </message>
    <message>
        <source>{m}m</source>
        <translation>{m} Min.</translation>
    </message>
    <message numerus="yes">
        <source>%n business day(s)</source>
        <translation>
            <numerusform>%n Arbeitstag</numerusform>
            <numerusform>%n Arbeitstage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n business day(s) {h}h</source>
        <translation>
            <numerusform>%n Arbeitstag {h} Std.</numerusform>
            <numerusform>%n Arbeitstage {h} Std.</numerusform>
        </translation>
    </message>
    <message>
        <source>Overdue by {time}</source>
        <translation>{time} überfällig</translation>
    </message>
    <message>
        <source>Due in {time}</source>
        <translation>Fällig in {time}</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Show all open questions</source>
        <translation>Alle offenen Fragen zeigen</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation>Etwas ist schiefgelaufen</translation>
    </message>
    <message>
        <source>{app} ran into an unexpected problem. You can usually carry on working. If it happens again, please copy the details and include them in a bug report.</source>
        <translation>{app} ist auf ein unerwartetes Problem gestoßen. Meist können Sie weiterarbeiten. Tritt es erneut auf, kopieren Sie bitte die Details und fügen Sie sie einem Fehlerbericht bei.</translation>
    </message>
    <message>
        <source>Unexpected problem</source>
        <translation>Unerwartetes Problem</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>Details anzeigen</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Details kopieren</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>Details ausblenden</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>Figures</name>
    <message>
        <source>{value} %</source>
        <translation>{value} %</translation>
    </message>
    <message>
        <source>{value} min</source>
        <translation>{value} Min.</translation>
    </message>
    <message>
        <source>{value} h</source>
        <translation>{value} Std.</translation>
    </message>
    <message>
        <source>{value} d</source>
        <translation>{value} T.</translation>
    </message>
    <message>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <source>{arrow} {times}× (from {base})</source>
        <translation>{arrow} {times}× (von {base})</translation>
    </message>
    <message>
        <source>{arrow} {percent} (from {base})</source>
        <translation>{arrow} {percent} (von {base})</translation>
    </message>
    <message>
        <source>{title} (server-reported)</source>
        <translation>{title} (vom Server gemeldet)</translation>
    </message>
    <message>
        <source>Higher is better.</source>
        <translation>Höher ist besser.</translation>
    </message>
    <message>
        <source>Lower is better.</source>
        <translation>Niedriger ist besser.</translation>
    </message>
</context>
<context>
    <name>KpiTile</name>
    <message>
        <source> ·  server</source>
        <translation> ·  Server</translation>
    </message>
    <message>
        <source>{value} *</source>
        <translation>{value} *</translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation>unvollständig</translation>
    </message>
    <message>
        <source>no comparison yet</source>
        <translation>noch kein Vergleich</translation>
    </message>
    <message>
        <source>Previous period: {value}</source>
        <translation>Vorheriger Zeitraum: {value}</translation>
    </message>
    <message>
        <source>Incomplete: the first sync has not brought in this whole period yet; the value counts only what is synced so far.</source>
        <translation>Unvollständig: Die erste Synchronisierung hat diesen Zeitraum noch nicht ganz geholt; der Wert zählt nur, was bisher synchronisiert ist.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <source>Needs you: {n}</source>
        <translation>Braucht Sie: {n}</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <source>Fetch what changed on the community (Ctrl+R)</source>
        <translation>Änderungen aus der Community abrufen (Strg+R)</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>Noch nicht synchronisiert</translation>
    </message>
    <message>
        <source>Undo the last queued action</source>
        <translation>Letzte eingereihte Aktion rückgängig machen</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>Über {app}</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Darstellung</translation>
    </message>
    <message>
        <source>More menus</source>
        <translation>Weitere Menüs</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>System ({language})</source>
        <translation>System ({language})</translation>
    </message>
    <message>
        <source>{what}: the members list is not available with this key.</source>
        <translation>{what}: Die Mitgliederliste ist mit diesem Schlüssel nicht verfügbar.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronisiere…</translation>
    </message>
    <message>
        <source>First sync in progress: older replies are still coming in, so some questions show as unanswered or overdue until theirs arrive.</source>
        <translation>Erste Synchronisierung läuft: Ältere Antworten kommen noch, daher erscheinen manche Fragen als unbeantwortet oder überfällig, bis ihre eintreffen.</translation>
    </message>
    <message>
        <source>community</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>open questions</source>
        <translation>offene Fragen</translation>
    </message>
    <message>
        <source>bulk mirror</source>
        <translation>Massenabgleich</translation>
    </message>
    <message>
        <source>topics</source>
        <translation>Themen</translation>
    </message>
    <message>
        <source>activity</source>
        <translation>Aktivität</translation>
    </message>
    <message>
        <source>answers</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>posts</source>
        <translation>Beiträge</translation>
    </message>
    <message>
        <source>checking topics</source>
        <translation>Themen prüfen</translation>
    </message>
    <message>
        <source>members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>badges</source>
        <translation>Abzeichen</translation>
    </message>
    <message>
        <source>groups</source>
        <translation>Gruppen</translation>
    </message>
    <message>
        <source>reports</source>
        <translation>Berichte</translation>
    </message>
    <message>
        <source>Open questions</source>
        <translation>Offene Fragen</translation>
    </message>
    <message>
        <source>Recent months</source>
        <translation>Letzte Monate</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Members, badges and reports</source>
        <translation>Mitglieder, Abzeichen und Berichte</translation>
    </message>
    <message>
        <source>{stage} {done} of {total}</source>
        <translation>{stage} {done} von {total}</translation>
    </message>
    <message numerus="yes">
        <source>%Ln request(s) in this run</source>
        <translation>
            <numerusform>%Ln Anfrage in diesem Lauf</numerusform>
            <numerusform>%Ln Anfragen in diesem Lauf</numerusform>
        </translation>
    </message>
    <message>
        <source>History to {month}</source>
        <translation>Verlauf bis {month}</translation>
    </message>
    <message>
        <source>{stage} {done}/{total}</source>
        <translation>{stage} {done}/{total}</translation>
    </message>
    <message numerus="yes">
        <source>%Ln left today</source>
        <translation>
            <numerusform>heute noch %Ln</numerusform>
            <numerusform>heute noch %Ln</numerusform>
        </translation>
    </message>
    <message>
        <source>{duration} to go</source>
        <translation>noch {duration}</translation>
    </message>
    <message>
        <source>Today&apos;s requests for the sync are spent; it resumes at {time}.</source>
        <translation>Die heutigen Anfragen für die Synchronisierung sind verbraucht; sie geht am {time} weiter.</translation>
    </message>
    <message numerus="yes">
        <source>Synced (%n request(s)).</source>
        <translation>
            <numerusform>Synchronisiert (%n Anfrage).</numerusform>
            <numerusform>Synchronisiert (%n Anfragen).</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync cancelled</source>
        <translation>Synchronisierung abgebrochen</translation>
    </message>
    <message>
        <source>Sync paused</source>
        <translation>Synchronisierung pausiert</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>○ Offline</source>
        <translation>○ Offline</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>next try at {time}</source>
        <translation>nächster Versuch um {time}</translation>
    </message>
    <message>
        <source>next try at {time} on {day}</source>
        <translation>nächster Versuch am {day} um {time}</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting to be sent</source>
        <translation>
            <numerusform>%n Aktion wartet auf das Senden</numerusform>
            <numerusform>%n Aktionen warten auf das Senden</numerusform>
        </translation>
    </message>
    <message>
        <source>The community could not be reached. Actions are kept and sent when it answers again; Try now sends them at once.</source>
        <translation>Die Community ist nicht erreichbar. Aktionen bleiben gespeichert und werden gesendet, sobald sie wieder antwortet; „Jetzt versuchen“ sendet sie sofort.</translation>
    </message>
    <message>
        <source>Sync resumes at {time}</source>
        <translation>Synchronisierung geht am {time} weiter</translation>
    </message>
    <message>
        <source>Today&apos;s requests for the sync are spent (the key&apos;s day limit, less the reserve for your own actions); the sync goes on where it stopped.</source>
        <translation>Die heutigen Anfragen für die Synchronisierung sind verbraucht (das Tageslimit des Schlüssels abzüglich der Reserve für Ihre eigenen Aktionen); die Synchronisierung macht dort weiter, wo sie aufgehört hat.</translation>
    </message>
    <message>
        <source>Last sync just now</source>
        <translation>Zuletzt synchronisiert: gerade eben</translation>
    </message>
    <message>
        <source>Last sync {ago} ago</source>
        <translation>Zuletzt synchronisiert vor {ago}</translation>
    </message>
    <message numerus="yes">
        <source>%Ln request(s) left this minute</source>
        <translation>
            <numerusform>noch %Ln Anfrage in dieser Minute</numerusform>
            <numerusform>noch %Ln Anfragen in dieser Minute</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln today</source>
        <translation>
            <numerusform>%Ln heute</numerusform>
            <numerusform>%Ln heute</numerusform>
        </translation>
    </message>
    <message>
        <source>paused {duration}</source>
        <translation>pausiert für {duration}</translation>
    </message>
    <message>
        <source>No request limit</source>
        <translation>Kein Anfragelimit</translation>
    </message>
    <message>
        <source>Requests the console still allows itself</source>
        <translation>Anfragen, die sich die Konsole noch erlaubt</translation>
    </message>
    <message numerus="yes">
        <source>%Ln pending action(s)</source>
        <translation>
            <numerusform>%Ln ausstehende Aktion</numerusform>
            <numerusform>%Ln ausstehende Aktionen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting to be sent.</source>
        <translation>
            <numerusform>%n Aktion wartet auf das Senden.</numerusform>
            <numerusform>%n Aktionen warten auf das Senden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n needs you</source>
        <translation>
            <numerusform>%n braucht Sie</numerusform>
            <numerusform>%n brauchen Sie</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing needs you</source>
        <translation>Nichts braucht Sie</translation>
    </message>
    <message>
        <source>Needs you: {what}</source>
        <translation>Braucht Sie: {what}</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) wait for your decision</source>
        <translation>
            <numerusform>%n Aktion wartet auf Ihre Entscheidung</numerusform>
            <numerusform>%n Aktionen warten auf Ihre Entscheidung</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n Konflikt</numerusform>
            <numerusform>%n Konflikte</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused action(s)</source>
        <translation>
            <numerusform>%n abgelehnte Aktion</numerusform>
            <numerusform>%n abgelehnte Aktionen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) due soon</source>
        <translation>
            <numerusform>%n Frage bald fällig</numerusform>
            <numerusform>%n Fragen bald fällig</numerusform>
        </translation>
    </message>
    <message>
        <source>Queued: {action}</source>
        <translation>Eingereiht: {action}</translation>
    </message>
    <message numerus="yes">
        <source>Queued: %n action(s) ({action} …)</source>
        <translation>
            <numerusform>Eingereiht: %n Aktion ({action} …)</numerusform>
            <numerusform>Eingereiht: %n Aktionen ({action} …)</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation>Nichts rückgängig zu machen.</translation>
    </message>
    <message>
        <source>The community no longer accepts this key. Sign in again (File → Sign out).</source>
        <translation>Die Community akzeptiert diesen Schlüssel nicht mehr. Melden Sie sich erneut an (Datei → Abmelden).</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) waiting for review</source>
        <translation>
            <numerusform>%n Eintrag wartet auf Prüfung</numerusform>
            <numerusform>%n Einträge warten auf Prüfung</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{title} +%n</source>
        <translation>
            <numerusform>{title} +%n</numerusform>
            <numerusform>{title} +%n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Since the last sync: %n new question(s)</source>
        <translation>
            <numerusform>Seit der letzten Synchronisierung: %n neue Frage</numerusform>
            <numerusform>Seit der letzten Synchronisierung: %n neue Fragen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n topic(s) with new activity</source>
        <translation>
            <numerusform>%n Thema mit neuer Aktivität</numerusform>
            <numerusform>%n Themen mit neuer Aktivität</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n assignment change(s)</source>
        <translation>
            <numerusform>%n geänderte Zuweisung</numerusform>
            <numerusform>%n geänderte Zuweisungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync now (Ctrl+R) to see them in the list</source>
        <translation>Jetzt synchronisieren (Strg+R), um sie in der Liste zu sehen</translation>
    </message>
</context>
<context>
    <name>MemberField</name>
    <message>
        <source>Username, name or e-mail…</source>
        <translation>Benutzername, Name oder E-Mail…</translation>
    </message>
</context>
<context>
    <name>MembersPage</name>
    <message>
        <source>new user</source>
        <translation>neuer Benutzer</translation>
    </message>
    <message>
        <source>basic</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>regular</source>
        <translation>Stammgast</translation>
    </message>
    <message>
        <source>leader</source>
        <translation>Anführer</translation>
    </message>
    <message>
        <source>No accepted answers.</source>
        <translation>Keine akzeptierten Lösungen.</translation>
    </message>
    <message>
        <source>No posts.</source>
        <translation>Keine Beiträge.</translation>
    </message>
    <message>
        <source>Badges</source>
        <translation>Abzeichen</translation>
    </message>
    <message>
        <source>Accepted answers</source>
        <translation>Akzeptierte Lösungen</translation>
    </message>
    <message>
        <source>Recent posts</source>
        <translation>Neueste Beiträge</translation>
    </message>
    <message>
        <source>staff</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>noch keine</translation>
    </message>
    <message>
        <source>joined {joined} · last post {last}</source>
        <translation>dabei seit {joined} · letzter Beitrag {last}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{posts}&lt;/b&gt; posts · &lt;b&gt;{solutions}&lt;/b&gt; accepted answers · groups: {groups}</source>
        <translation>&lt;b&gt;{posts}&lt;/b&gt; Beiträge · &lt;b&gt;{solutions}&lt;/b&gt; akzeptierte Lösungen · Gruppen: {groups}</translation>
    </message>
    <message>
        <source>Search members</source>
        <translation>Mitglieder suchen</translation>
    </message>
    <message>
        <source>Search members by username, name or e-mail…</source>
        <translation>Mitglieder nach Benutzername, Name oder E-Mail suchen…</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Member profile</source>
        <translation>Mitgliedsprofil</translation>
    </message>
    <message>
        <source>Award badge…</source>
        <translation>Abzeichen verleihen…</translation>
    </message>
    <message>
        <source>Bulk award…</source>
        <translation>Sammelverleihung…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Members&lt;/b&gt;</source>
        <translation>&lt;b&gt;Mitglieder&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Show recent members</source>
        <translation>Zuletzt aktive Mitglieder anzeigen</translation>
    </message>
    <message>
        <source>Showing: {what}</source>
        <translation>Angezeigt: {what}</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n Treffer</numerusform>
            <numerusform>%n Treffer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n Mitglied</numerusform>
            <numerusform>%n Mitglieder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n recently active</source>
        <translation>
            <numerusform>%n zuletzt aktiv</numerusform>
            <numerusform>%n zuletzt aktiv</numerusform>
        </translation>
    </message>
    <message>
        <source>Bulk award to {n}…</source>
        <translation>Sammelverleihung an {n}…</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Gehe zu</translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation>&amp;Warteschlange</translation>
    </message>
    <message>
        <source>&amp;Thread</source>
        <translation>&amp;Thema</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
</context>
<context>
    <name>NotesDialog</name>
    <message>
        <source>Staff notes</source>
        <translation>Notizen fürs Team</translation>
    </message>
</context>
<context>
    <name>NotesPanel</name>
    <message>
        <source>Notes ({n})</source>
        <translation>Notizen ({n})</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>wartet auf das Senden</translation>
    </message>
    <message>
        <source>deletion waiting to be sent</source>
        <translation>Löschen wartet auf das Senden</translation>
    </message>
    <message>
        <source>Staff notes</source>
        <translation>Notizen fürs Team</translation>
    </message>
    <message>
        <source>New staff note</source>
        <translation>Neue Notiz fürs Team</translation>
    </message>
    <message>
        <source>A note only staff can see…</source>
        <translation>Eine Notiz, die nur das Team sieht…</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <source>Saved locally first, then sent when online (Ctrl+Enter)</source>
        <translation>Zuerst lokal gespeichert, dann gesendet, sobald online (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Delete note</source>
        <translation>Notiz löschen</translation>
    </message>
    <message>
        <source>Reading notes…</source>
        <translation>Notizen werden gelesen…</translation>
    </message>
    <message>
        <source>Staff notes on {who} ({n})</source>
        <translation>Notizen fürs Team zu {who} ({n})</translation>
    </message>
    <message>
        <source>Could not read the notes now: {why}</source>
        <translation>Die Notizen ließen sich gerade nicht lesen: {why}</translation>
    </message>
    <message>
        <source>This member no longer exists on the community.</source>
        <translation>Dieses Mitglied gibt es in der Community nicht mehr.</translation>
    </message>
    <message>
        <source>Only staff can read staff notes.</source>
        <translation>Nur das Team kann diese Notizen lesen.</translation>
    </message>
    <message>
        <source>Only staff see these notes.</source>
        <translation>Nur das Team sieht diese Notizen.</translation>
    </message>
    <message>
        <source>No notes yet.</source>
        <translation>Noch keine Notizen.</translation>
    </message>
</context>
<context>
    <name>OutboxPage</name>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Needs you</source>
        <translation>Braucht Sie</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Someone changed this on the community after you queued it. Retry checks again; Apply anyway replaces their change; Discard keeps theirs.</source>
        <translation>Jemand hat dies in der Community geändert, nachdem Sie es eingereiht haben. „Erneut versuchen“ prüft noch einmal; „Trotzdem anwenden“ ersetzt die andere Änderung; „Verwerfen“ behält sie.</translation>
    </message>
    <message>
        <source>The community needs a confirmation for this. Apply anyway confirms it; Discard drops it.</source>
        <translation>Die Community verlangt hierfür eine Bestätigung. „Trotzdem anwenden“ bestätigt; „Verwerfen“ verwirft die Aktion.</translation>
    </message>
    <message>
        <source>The topic, post or member is gone from the community. Retry if it was restored; otherwise Discard.</source>
        <translation>Das Thema, der Beitrag oder das Mitglied ist nicht mehr in der Community. Erneut versuchen, falls es wiederhergestellt wurde; sonst verwerfen.</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Postausgang</translation>
    </message>
    <message>
        <source>Every action is saved here first, then sent to the community. Your decisions are kept in the journal.</source>
        <translation>Jede Aktion wird zuerst hier gespeichert und dann an die Community gesendet. Ihre Entscheidungen stehen im Protokoll.</translation>
    </message>
    <message>
        <source>Push now</source>
        <translation>Jetzt senden</translation>
    </message>
    <message>
        <source>Send every waiting action now (Ctrl+P)</source>
        <translation>Alle wartenden Aktionen jetzt senden (Strg+P)</translation>
    </message>
    <message>
        <source>Nothing here. Actions you take appear in this list until the community confirms them.</source>
        <translation>Hier ist nichts. Ihre Aktionen erscheinen in dieser Liste, bis die Community sie bestätigt.</translation>
    </message>
    <message>
        <source>Select an action to see its details.</source>
        <translation>Wählen Sie eine Aktion, um ihre Details zu sehen.</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Check the community again and send if it still applies</source>
        <translation>Die Community erneut prüfen und senden, wenn es noch zutrifft</translation>
    </message>
    <message>
        <source>Apply anyway</source>
        <translation>Trotzdem anwenden</translation>
    </message>
    <message>
        <source>Send it even though the community changed meanwhile</source>
        <translation>Senden, obwohl sich die Community inzwischen geändert hat</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>Verwerfen…</translation>
    </message>
    <message>
        <source>Drop this action (asks first; you can leave a note)</source>
        <translation>Diese Aktion verwerfen (mit Rückfrage; Sie können eine Notiz hinterlassen)</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Save the journal of actions queued since this date as a CSV file</source>
        <translation>Das Protokoll der seit diesem Datum eingereihten Aktionen als CSV-Datei speichern</translation>
    </message>
    <message>
        <source>Actions queued since</source>
        <translation>Aktionen eingereiht seit</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <source>Journal since</source>
        <translation>Protokoll seit</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>Protokoll</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s)</source>
        <translation>
            <numerusform>%n Aktion</numerusform>
            <numerusform>%n Aktionen</numerusform>
        </translation>
    </message>
    <message>
        <source>queued by @{who} on {when}</source>
        <translation>eingereiht von @{who} am {when}</translation>
    </message>
    <message>
        <source>The community refused this action. Retry sends it again; Discard drops it.</source>
        <translation>Die Community hat diese Aktion abgelehnt. „Erneut versuchen“ sendet sie noch einmal; „Verwerfen“ verwirft sie.</translation>
    </message>
    <message>
        <source>Waiting to be tried again (the community asked us to wait, or could not be reached). Retry sends it now; Discard drops it.</source>
        <translation>Wartet auf einen neuen Versuch (die Community bat um Geduld oder war nicht erreichbar). „Erneut versuchen“ sendet sie jetzt; „Verwerfen“ verwirft sie.</translation>
    </message>
    <message>
        <source>Waiting to be sent. It goes with the next push or sync; Discard drops it.</source>
        <translation>Wartet auf das Senden. Sie geht mit dem nächsten Senden oder Synchronisieren hinaus; „Verwerfen“ verwirft sie.</translation>
    </message>
    <message>
        <source>Server&apos;s message</source>
        <translation>Meldung des Servers</translation>
    </message>
    <message>
        <source>What will be sent</source>
        <translation>Was gesendet wird</translation>
    </message>
    <message>
        <source>What you saw when you queued it</source>
        <translation>Was Sie beim Einreihen gesehen haben</translation>
    </message>
    <message>
        <source>Your note</source>
        <translation>Ihre Notiz</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>Entscheidungen</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ausgang</translation>
    </message>
    <message>
        <source>Not sent yet.</source>
        <translation>Noch nicht gesendet.</translation>
    </message>
    <message>
        <source>Action id {id}</source>
        <translation>Aktions-ID {id}</translation>
    </message>
    <message>
        <source>Discard this action?</source>
        <translation>Diese Aktion verwerfen?</translation>
    </message>
    <message>
        <source>“{action}” will not be sent. The journal keeps it, with your note.</source>
        <translation>„{action}“ wird nicht gesendet. Das Protokoll behält sie, mit Ihrer Notiz.</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Apply anyway?</source>
        <translation>Trotzdem anwenden?</translation>
    </message>
    <message>
        <source>“{action}” will be sent even though the community changed after you queued it.</source>
        <translation>„{action}“ wird gesendet, obwohl sich die Community nach dem Einreihen geändert hat.</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Neuer Versuch</translation>
    </message>
    <message>
        <source>Applying anyway</source>
        <translation>Wird trotzdem angewendet</translation>
    </message>
    <message>
        <source>Discarded</source>
        <translation>Verworfen</translation>
    </message>
    <message>
        <source>the action</source>
        <translation>die Aktion</translation>
    </message>
    <message>
        <source>{done}: {action}.</source>
        <translation>{done}: {action}.</translation>
    </message>
    <message>
        <source>Nothing to send.</source>
        <translation>Nichts zu senden.</translation>
    </message>
    <message>
        <source>Export the journal</source>
        <translation>Protokoll exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n action(s) to {path}.</source>
        <translation>
            <numerusform>%n Aktion nach {path} exportiert.</numerusform>
            <numerusform>%n Aktionen nach {path} exportiert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Reminders</source>
        <translation>Erinnerungen</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Badges</source>
        <translation>Abzeichen</translation>
    </message>
    <message>
        <source>Superusers</source>
        <translation>Superuser</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Postausgang</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Prüfung</translation>
    </message>
</context>
<context>
    <name>PostCard</name>
    <message>
        <source>staff</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>badges: {names}</source>
        <translation>Abzeichen: {names}</translation>
    </message>
    <message>
        <source>asker</source>
        <translation>Fragesteller</translation>
    </message>
    <message>
        <source>Accept as answer</source>
        <translation>Lösung akzeptieren</translation>
    </message>
    <message>
        <source>Unaccept</source>
        <translation>Lösung zurücknehmen</translation>
    </message>
    <message>
        <source>{n} staff note(s) on {who}: read or add</source>
        <translation>{n} Notiz(en) fürs Team zu {who}: lesen oder hinzufügen</translation>
    </message>
    <message>
        <source>Staff notes on {who}: read or add</source>
        <translation>Notizen fürs Team zu {who}: lesen oder hinzufügen</translation>
    </message>
    <message>
        <source>✔ Accepted answer</source>
        <translation>✔ Akzeptierte Lösung</translation>
    </message>
    <message>
        <source>Waiting to be sent to the community</source>
        <translation>Wartet auf das Senden an die Community</translation>
    </message>
    <message>
        <source>Saved locally first, then sent when online (shortcut: a)</source>
        <translation>Wird zuerst lokal gespeichert und gesendet, sobald eine Verbindung besteht (Kürzel: a)</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>SLA</source>
        <translation>SLA</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Frage</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Unternehmen</translation>
    </message>
    <message>
        <source>Asker</source>
        <translation>Fragesteller</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>{sla}: first response due {due} ({zone})</source>
        <translation>{sla}: erste Reaktion fällig {due} ({zone})</translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <source>The highlighted question is still loading; press a again once it shows.</source>
        <translation>Die markierte Frage wird noch geladen; drücken Sie a erneut, sobald sie angezeigt wird.</translation>
    </message>
    <message>
        <source>The highlighted question is still loading; press r again once it shows.</source>
        <translation>Die markierte Frage wird noch geladen; drücken Sie r erneut, sobald sie angezeigt wird.</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <source>Open (unsolved)</source>
        <translation>Offen (ungelöst)</translation>
    </message>
    <message>
        <source>No answer from others</source>
        <translation>Keine Antwort von anderen</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Beantwortet</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>Jeder Status</translation>
    </message>
    <message>
        <source>Any SLA</source>
        <translation>Jedes SLA</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Überfällig</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>Bald fällig</translation>
    </message>
    <message>
        <source>Overdue or due soon</source>
        <translation>Überfällig oder bald fällig</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>Im Plan</translation>
    </message>
    <message>
        <source>Anyone&apos;s</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Meine</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Nicht zugewiesen</translation>
    </message>
    <message>
        <source>Saved views</source>
        <translation>Gespeicherte Ansichten</translation>
    </message>
    <message>
        <source>Save view…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Save the current filters and search as a named view</source>
        <translation>Die aktuellen Filter und die Suche als benannte Ansicht speichern</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>Search questions and replies</source>
        <translation>Fragen und Antworten durchsuchen</translation>
    </message>
    <message>
        <source>Search questions and replies  ( / )</source>
        <translation>Fragen und Antworten durchsuchen  ( / )</translation>
    </message>
    <message>
        <source>Assignment filter</source>
        <translation>Filter nach Zuweisung</translation>
    </message>
    <message>
        <source>Category filter</source>
        <translation>Kategoriefilter</translation>
    </message>
    <message>
        <source>Company filter</source>
        <translation>Unternehmensfilter</translation>
    </message>
    <message>
        <source>State filter</source>
        <translation>Statusfilter</translation>
    </message>
    <message>
        <source>Response-time filter</source>
        <translation>Reaktionszeitfilter</translation>
    </message>
    <message>
        <source>Show questions by their first-response target: overdue, due soon, on target</source>
        <translation>Fragen nach ihrem Ziel für die erste Reaktion anzeigen: überfällig, bald fällig, im Plan</translation>
    </message>
    <message>
        <source>Show all dates</source>
        <translation>Alle Daten anzeigen</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>Fragen</translation>
    </message>
    <message>
        <source>J and K move, Enter opens the highlighted question in the thread pane</source>
        <translation>J und K bewegen, Enter öffnet die markierte Frage im Themenbereich</translation>
    </message>
    <message>
        <source>j / k move · Enter open · Esc close · n / p reply · a accept · F1 all keys</source>
        <translation>j / k bewegen · Enter öffnen · Esc schließen · n / p Antwort · a akzeptieren · F1 alle Tasten</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>Alle Kategorien</translation>
    </message>
    <message>
        <source>All companies</source>
        <translation>Alle Unternehmen</translation>
    </message>
    <message>
        <source>asked {start} – {end}</source>
        <translation>gestellt {start} – {end}</translation>
    </message>
    <message>
        <source>Showing questions {range}</source>
        <translation>Angezeigt: Fragen {range}</translation>
    </message>
    <message>
        <source>No question matches “{search}” with these filters.</source>
        <translation>Keine Frage passt mit diesen Filtern zu „{search}“.</translation>
    </message>
    <message>
        <source>No question matches these filters.</source>
        <translation>Keine Frage passt zu diesen Filtern.</translation>
    </message>
    <message>
        <source>Change the search or the filters above, or show every open question.</source>
        <translation>Ändern Sie oben die Suche oder die Filter, oder zeigen Sie alle offenen Fragen.</translation>
    </message>
    <message>
        <source>Save view</source>
        <translation>Ansicht speichern</translation>
    </message>
    <message>
        <source>Name of this view:</source>
        <translation>Name dieser Ansicht:</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Zähle…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln question(s)</source>
        <translation>
            <numerusform>%Ln Frage</numerusform>
            <numerusform>%Ln Fragen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecognitionModels</name>
    <message>
        <source>by hand</source>
        <translation>manuell</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>aktiviert</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>deaktiviert</translation>
    </message>
    <message>
        <source>{n} queued</source>
        <translation>{n} eingereiht</translation>
    </message>
    <message>
        <source>granted</source>
        <translation>verliehen</translation>
    </message>
    <message>
        <source>already held</source>
        <translation>bereits vorhanden</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>eingereiht</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>wird gesendet</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>not queued</source>
        <translation>nicht eingereiht</translation>
    </message>
    <message>
        <source>{component}: {points} points</source>
        <translation>{component}: {points} Punkte</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
</context>
<context>
    <name>RemindersPage</name>
    <message>
        <source>Reminded {when}</source>
        <translation>Erinnert am {when}</translation>
    </message>
    <message>
        <source>Already reminded this week: the next reminder is possible from {day}</source>
        <translation>Diese Woche bereits erinnert: Die nächste Erinnerung ist ab {day} möglich</translation>
    </message>
    <message>
        <source>Not reminded this week</source>
        <translation>Diese Woche nicht erinnert</translation>
    </message>
    <message>
        <source>Employee</source>
        <translation>Mitarbeiter</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Reminders</source>
        <translation>Erinnerungen</translation>
    </message>
    <message>
        <source>Message and timing…</source>
        <translation>Nachricht und Zeitpunkt…</translation>
    </message>
    <message>
        <source>Questions waiting for the asker</source>
        <translation>Fragen, die auf den Fragesteller warten</translation>
    </message>
    <message>
        <source>No question is waiting for its asker. Nice.</source>
        <translation>Keine Frage wartet auf ihren Fragesteller. Prima.</translation>
    </message>
    <message>
        <source>Select a question.</source>
        <translation>Wählen Sie eine Frage.</translation>
    </message>
    <message>
        <source>Replies from others</source>
        <translation>Antworten anderer</translation>
    </message>
    <message>
        <source>The reminder, as it will be posted</source>
        <translation>Die Erinnerung, wie sie gepostet wird</translation>
    </message>
    <message>
        <source>Send nudge</source>
        <translation>Erinnerung senden</translation>
    </message>
    <message>
        <source>Post this reminder as a reply (Ctrl+Enter)</source>
        <translation>Diese Erinnerung als Antwort posten (Strg+Enter)</translation>
    </message>
    <message>
        <source>Accept reply…</source>
        <translation>Antwort akzeptieren…</translation>
    </message>
    <message>
        <source>Accept the selected reply on the asker&apos;s behalf (A)</source>
        <translation>Die ausgewählte Antwort im Namen des Fragestellers als Lösung akzeptieren (A)</translation>
    </message>
    <message>
        <source>Snooze for how many days</source>
        <translation>Wie viele Tage zurückstellen</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>Zurückstellen</translation>
    </message>
    <message>
        <source>Hide this question for a while (S)</source>
        <translation>Diese Frage eine Weile ausblenden (S)</translation>
    </message>
    <message>
        <source>Replies from others, newest first</source>
        <translation>Antworten anderer, neueste zuerst</translation>
    </message>
    <message>
        <source>{low} to {high} days</source>
        <translation>{low} bis {high} Tagen</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) or more</source>
        <translation>
            <numerusform>%n Tag oder mehr</numerusform>
            <numerusform>%n Tagen oder mehr</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) where others replied {window} ago but the asker has not accepted an answer. Remind them kindly (at most once a week), accept a reply for them, or snooze.</source>
        <translation>
            <numerusform>%n Frage, auf die andere vor {window} geantwortet haben, ohne dass der Fragesteller eine Lösung akzeptiert hat. Erinnern Sie freundlich (höchstens einmal pro Woche), akzeptieren Sie eine Antwort für ihn oder stellen Sie sie zurück.</numerusform>
            <numerusform>%n Fragen, auf die andere vor {window} geantwortet haben, ohne dass der Fragesteller eine Lösung akzeptiert hat. Erinnern Sie freundlich (höchstens einmal pro Woche), akzeptieren Sie eine Antwort für ihn oder stellen Sie sie zurück.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Asked by &lt;b&gt;@{asker}&lt;/b&gt; in {category} · first reply {first}, waiting &lt;b&gt;{days}&lt;/b&gt; · %n reply(ies) ({employees} from employees, {peers} from peers)</source>
        <translation>
            <numerusform>Gefragt von &lt;b&gt;@{asker}&lt;/b&gt; in {category} · erste Antwort {first}, Wartezeit &lt;b&gt;{days}&lt;/b&gt; · %n Antwort ({employees} von Mitarbeitern, {peers} aus der Community)</numerusform>
            <numerusform>Gefragt von &lt;b&gt;@{asker}&lt;/b&gt; in {category} · erste Antwort {first}, Wartezeit &lt;b&gt;{days}&lt;/b&gt; · %n Antworten ({employees} von Mitarbeitern, {peers} aus der Community)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message>
        <source>Reminder to @{asker} sent.</source>
        <translation>Erinnerung an @{asker} gesendet.</translation>
    </message>
    <message>
        <source>Reminder to @{asker} queued; it is sent when the community can be reached.</source>
        <translation>Erinnerung an @{asker} eingereiht; sie wird gesendet, sobald die Community erreichbar ist.</translation>
    </message>
    <message>
        <source>Accept this reply?</source>
        <translation>Diese Antwort akzeptieren?</translation>
    </message>
    <message>
        <source>Accept @{author}&apos;s reply as the answer to “{title}” on @{asker}&apos;s behalf.</source>
        <translation>Die Antwort von @{author} im Namen von @{asker} als Lösung für „{title}“ akzeptieren.</translation>
    </message>
    <message>
        <source>Accept reply</source>
        <translation>Antwort akzeptieren</translation>
    </message>
    <message>
        <source>Answer accepted.</source>
        <translation>Lösung akzeptiert.</translation>
    </message>
    <message>
        <source>Accepted answer queued; it is sent when the community can be reached.</source>
        <translation>Akzeptierte Lösung eingereiht; sie wird gesendet, sobald die Community erreichbar ist.</translation>
    </message>
    <message numerus="yes">
        <source>Snoozed “{title}” for %n day(s).</source>
        <translation>
            <numerusform>„{title}“ für %n Tag zurückgestellt.</numerusform>
            <numerusform>„{title}“ für %n Tage zurückgestellt.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReplyComposer</name>
    <message>
        <source>Insert a saved reply</source>
        <translation>Textbaustein einfügen</translation>
    </message>
    <message>
        <source>Saved replies…</source>
        <translation>Textbausteine…</translation>
    </message>
    <message>
        <source>Add, edit or delete saved replies</source>
        <translation>Textbausteine hinzufügen, bearbeiten oder löschen</translation>
    </message>
    <message>
        <source>Whisper (staff only)</source>
        <translation>Flüstern (nur Mitarbeitende)</translation>
    </message>
    <message>
        <source>A staff-only note in the thread: only staff who may see whispers can read it</source>
        <translation>Eine interne Notiz im Thema: nur Mitarbeitende, die Flüsternachrichten sehen dürfen, können sie lesen</translation>
    </message>
    <message>
        <source>Reply text (markdown)</source>
        <translation>Antworttext (Markdown)</translation>
    </message>
    <message>
        <source>Write your reply (markdown) …</source>
        <translation>Schreiben Sie Ihre Antwort (Markdown) …</translation>
    </message>
    <message>
        <source>Preview of the reply</source>
        <translation>Vorschau der Antwort</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Schreiben</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>only staff will see this note</source>
        <translation>nur Mitarbeitende sehen diese Notiz</translation>
    </message>
    <message>
        <source>{send} sends · Esc closes · the draft is kept until sent</source>
        <translation>{send} sendet · Esc schließt · der Entwurf bleibt bis zum Senden erhalten</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Empty the composer and forget the draft</source>
        <translation>Editor leeren und Entwurf verwerfen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Close the composer; the draft is kept (Esc)</source>
        <translation>Editor schließen; der Entwurf bleibt erhalten (Esc)</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>Antwort senden</translation>
    </message>
    <message>
        <source>Saved locally first, then sent when online ({keys})</source>
        <translation>Zuerst lokal gespeichert, dann gesendet, sobald online ({keys})</translation>
    </message>
    <message>
        <source>Reply to “{title}”</source>
        <translation>Antwort auf „{title}“</translation>
    </message>
    <message>
        <source>Draft restored.</source>
        <translation>Entwurf wiederhergestellt.</translation>
    </message>
    <message>
        <source>Insert a saved reply…</source>
        <translation>Textbaustein einfügen…</translation>
    </message>
    <message>
        <source>Send whisper</source>
        <translation>Flüsternachricht senden</translation>
    </message>
    <message>
        <source>Queued; it is sent now, or as soon as the community is reachable.</source>
        <translation>In der Warteschlange; sie wird jetzt gesendet oder sobald die Community erreichbar ist.</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>All items</source>
        <translation>Alle Einträge</translation>
    </message>
    <message>
        <source>Flagged posts</source>
        <translation>Gemeldete Beiträge</translation>
    </message>
    <message>
        <source>Queued posts</source>
        <translation>Beiträge zur Freigabe</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>Jede Priorität</translation>
    </message>
    <message>
        <source>Medium and high</source>
        <translation>Mittel und hoch</translation>
    </message>
    <message>
        <source>High only</source>
        <translation>Nur hoch</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>Freigabe</translation>
    </message>
    <message>
        <source>topic {id}</source>
        <translation>Thema {id}</translation>
    </message>
    <message>
        <source>{action} ({state})</source>
        <translation>{action} ({state})</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>Wartet auf Freigabe</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Flagged posts and posts awaiting approval. Each action is saved to the outbox first and sent with the version you saw: if another moderator acted first, it waits in the Outbox.</source>
        <translation>Gemeldete Beiträge und Beiträge, die auf Freigabe warten. Jede Aktion wird zuerst im Postausgang gespeichert und mit der Version gesendet, die Sie gesehen haben: Hat ein anderer Moderator zuerst gehandelt, wartet sie im Postausgang.</translation>
    </message>
    <message>
        <source>Kind of item</source>
        <translation>Art des Eintrags</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>Refresh the review queue</source>
        <translation>Prüfwarteschlange aktualisieren</translation>
    </message>
    <message>
        <source>Read the review queue from the community</source>
        <translation>Die Prüfwarteschlange aus der Community abrufen</translation>
    </message>
    <message>
        <source>Review items</source>
        <translation>Prüfeinträge</translation>
    </message>
    <message>
        <source>Nothing waits for review. Refresh reads the queue from the community.</source>
        <translation>Nichts wartet auf Prüfung. „Aktualisieren“ ruft die Warteschlange aus der Community ab.</translation>
    </message>
    <message>
        <source>Select an item to see the post and the reasons.</source>
        <translation>Wählen Sie einen Eintrag, um den Beitrag und die Gründe zu sehen.</translation>
    </message>
    <message>
        <source>Post under review</source>
        <translation>Beitrag in Prüfung</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) waiting</source>
        <translation>
            <numerusform>%n Eintrag wartet</numerusform>
            <numerusform>%n Einträge warten</numerusform>
        </translation>
    </message>
    <message>
        <source>Flagged post in “{topic}”</source>
        <translation>Gemeldeter Beitrag in „{topic}“</translation>
    </message>
    <message>
        <source>Post awaiting approval in “{topic}”</source>
        <translation>Beitrag in „{topic}“ wartet auf Freigabe</translation>
    </message>
    <message>
        <source>post #{n}</source>
        <translation>Beitrag #{n}</translation>
    </message>
    <message>
        <source>by @{author}</source>
        <translation>von @{author}</translation>
    </message>
    <message>
        <source>score {score}</source>
        <translation>Punktzahl {score}</translation>
    </message>
    <message>
        <source>claimed by @{user}</source>
        <translation>beansprucht von @{user}</translation>
    </message>
    <message>
        <source>{reason} — reported by @{user} (+{score})</source>
        <translation>{reason} — gemeldet von @{user} (+{score})</translation>
    </message>
    <message>
        <source>Held for approval before it appears.</source>
        <translation>Wird vor dem Erscheinen zur Freigabe zurückgehalten.</translation>
    </message>
    <message>
        <source>Queued: “{action}” ({state}). Answer it on the Outbox page.</source>
        <translation>Eingereiht: „{action}“ ({state}). Entscheiden Sie darüber auf der Seite „Postausgang“.</translation>
    </message>
    <message>
        <source>Queued: “{action}” ({state}).</source>
        <translation>Eingereiht: „{action}“ ({state}).</translation>
    </message>
    <message>
        <source>{action} needs a step only the community&apos;s site offers ({step})</source>
        <translation>„{action}“ braucht einen Schritt, den nur die Website der Community bietet ({step})</translation>
    </message>
    <message>
        <source>Claim</source>
        <comment>the label of the claim row</comment>
        <translation>Anspruch</translation>
    </message>
    <message>
        <source>Assign</source>
        <comment>the label of the assign row</comment>
        <translation>Zuweisen</translation>
    </message>
    <message>
        <source>Claim</source>
        <translation>Beanspruchen</translation>
    </message>
    <message>
        <source>Release claim</source>
        <translation>Freigeben</translation>
    </message>
    <message>
        <source>Release the claim on this item</source>
        <translation>Anspruch auf diesen Eintrag freigeben</translation>
    </message>
    <message>
        <source>Claim this item</source>
        <translation>Diesen Eintrag beanspruchen</translation>
    </message>
    <message>
        <source>Tell the other moderators you are handling this item</source>
        <translation>Den anderen Moderatoren zeigen, dass Sie diesen Eintrag bearbeiten</translation>
    </message>
    <message>
        <source>held by @{user}</source>
        <translation>beansprucht von @{user}</translation>
    </message>
    <message>
        <source>To me</source>
        <translation>Mir</translation>
    </message>
    <message>
        <source>Assign this topic to me</source>
        <translation>Dieses Thema mir zuweisen</translation>
    </message>
    <message>
        <source>Take this item&apos;s topic (M)</source>
        <translation>Das Thema dieses Eintrags übernehmen (M)</translation>
    </message>
    <message>
        <source>Assign…</source>
        <translation>Zuweisen…</translation>
    </message>
    <message>
        <source>Assign it to a teammate or a group, or unassign it (Shift+M)</source>
        <translation>Einer Kollegin, einem Kollegen oder einer Gruppe zuweisen oder die Zuweisung aufheben (Umschalt+M)</translation>
    </message>
</context>
<context>
    <name>SavedRepliesDialog</name>
    <message>
        <source>Saved replies</source>
        <translation>Textbausteine</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Restore defaults</source>
        <translation>Standardbausteine wiederherstellen</translation>
    </message>
    <message>
        <source>Add back the saved replies the console comes with</source>
        <translation>Die mitgelieferten Textbausteine wieder hinzufügen</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>Placeholders:</source>
        <translation>Platzhalter:</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Englisch</translation>
    </message>
    <message>
        <source>German</source>
        <translation>Deutsch</translation>
    </message>
    <message>
        <source>Any language</source>
        <translation>Jede Sprache</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(ohne Titel)</translation>
    </message>
    <message>
        <source>New saved reply</source>
        <translation>Neuer Textbaustein</translation>
    </message>
    <message>
        <source>Hi {asker},

</source>
        <translation>Hallo {asker},

</translation>
    </message>
    <message>
        <source>A saved reply needs a title.</source>
        <translation>Ein Textbaustein braucht einen Titel.</translation>
    </message>
    <message>
        <source>The saved reply “{title}” is empty.</source>
        <translation>Der Textbaustein „{title}“ ist leer.</translation>
    </message>
    <message>
        <source>A saved reply is at most {n} characters.</source>
        <translation>Ein Textbaustein hat höchstens {n} Zeichen.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Accept pending — will be sent when online</source>
        <translation>Akzeptieren ausstehend – wird gesendet, sobald eine Verbindung besteht</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Superuser programme settings</source>
        <translation>Einstellungen des Superuser-Programms</translation>
    </message>
    <message>
        <source>Weight: {component}</source>
        <translation>Gewicht: {component}</translation>
    </message>
    <message>
        <source> months</source>
        <translation> Monate</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Default window</source>
        <translation>Standardzeitraum</translation>
    </message>
    <message>
        <source>Recency counts for</source>
        <translation>Aktualität zählt für</translation>
    </message>
    <message>
        <source>Review superusers inactive for</source>
        <translation>Superuser prüfen, die inaktiv sind seit</translation>
    </message>
    <message>
        <source>Seconds (teammates&apos; likes on the nomination, never the nominator&apos;s) an approval needs; with fewer, approving is an override whose reason is kept in the audit journal.</source>
        <translation>Befürwortungen (Likes von Teamkollegen auf die Nominierung, nie die der nominierenden Person), die eine Genehmigung braucht; mit weniger ist die Genehmigung eine Ausnahme, deren Begründung im Prüfprotokoll gespeichert wird.</translation>
    </message>
    <message>
        <source>Seconds needed to approve</source>
        <translation>Nötige Befürwortungen zur Genehmigung</translation>
    </message>
</context>
<context>
    <name>SignInView</name>
    <message>
        <source>the site</source>
        <translation>die Site</translation>
    </message>
    <message>
        <source>{site} signs in with a personal access token: choose “Enter an API key” and paste a token from your profile there.</source>
        <translation>{site} meldet sich mit einem persönlichen Zugriffstoken an: Wählen Sie „API-Schlüssel eingeben“ und fügen Sie dort ein Token aus Ihrem Profil ein.</translation>
    </message>
    <message>
        <source>{site} refused this key. Check that it was copied completely, that it was not revoked, and (for an admin key) that the username is right.</source>
        <translation>{site} hat diesen Schlüssel abgelehnt. Prüfen Sie, ob er vollständig kopiert und nicht widerrufen wurde und (bei einem Admin-Schlüssel) ob der Benutzername stimmt.</translation>
    </message>
    <message>
        <source>Could not reach {site}. Check the address and your connection. ({reason})</source>
        <translation>{site} ist nicht erreichbar. Prüfen Sie die Adresse und Ihre Verbindung. ({reason})</translation>
    </message>
    <message>
        <source>Signing in failed unexpectedly: {error}.</source>
        <translation>Die Anmeldung ist unerwartet fehlgeschlagen: {error}.</translation>
    </message>
    <message>
        <source>Sign in — {app}</source>
        <translation>Anmelden – {app}</translation>
    </message>
    <message>
        <source>Sign in to your community</source>
        <translation>Bei Ihrer Community anmelden</translation>
    </message>
    <message>
        <source>{site} answered, but it does not look like a Discourse or Vanilla community. Check the address.</source>
        <translation>{site} hat geantwortet, sieht aber nicht wie eine Discourse- oder Vanilla-Community aus. Prüfen Sie die Adresse.</translation>
    </message>
    <message>
        <source>The console keeps a local copy of your Discourse or Vanilla community and works on it offline. Your key or token is stored in the system keychain only.</source>
        <translation>Die Konsole hält eine lokale Kopie Ihrer Discourse- oder Vanilla-Community und arbeitet offline damit. Ihr Schlüssel oder Token wird nur im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>https://community.example.com</source>
        <translation>https://community.example.com</translation>
    </message>
    <message>
        <source>Allow insecure http (the key travels unencrypted)</source>
        <translation>Unsicheres http erlauben (der Schlüssel wird unverschlüsselt übertragen)</translation>
    </message>
    <message>
        <source>Authorize in the browser (recommended)</source>
        <translation>Im Browser autorisieren (empfohlen)</translation>
    </message>
    <message>
        <source>Enter an API key</source>
        <translation>API-Schlüssel eingeben</translation>
    </message>
    <message>
        <source>Open the authorization page</source>
        <translation>Autorisierungsseite öffnen</translation>
    </message>
    <message>
        <source>After approving, paste the text the community shows (or the address)</source>
        <translation>Fügen Sie nach der Freigabe den Text ein, den die Community anzeigt (oder die Adresse)</translation>
    </message>
    <message>
        <source>1. Open the page and approve access.   2. Paste what the community shows below.</source>
        <translation>1. Seite öffnen und Zugriff freigeben.   2. Unten einfügen, was die Community anzeigt.</translation>
    </message>
    <message>
        <source>Kind of key</source>
        <translation>Schlüsselart</translation>
    </message>
    <message>
        <source>User API key</source>
        <translation>Benutzer-API-Schlüssel</translation>
    </message>
    <message>
        <source>Admin API key (with a username)</source>
        <translation>Admin-API-Schlüssel (mit Benutzername)</translation>
    </message>
    <message>
        <source>Personal access token (Vanilla)</source>
        <translation>Persönliches Zugriffstoken (Vanilla)</translation>
    </message>
    <message>
        <source>your username on the community</source>
        <translation>Ihr Benutzername in der Community</translation>
    </message>
    <message>
        <source>paste the key</source>
        <translation>Schlüssel einfügen</translation>
    </message>
    <message>
        <source>Key type</source>
        <translation>Schlüsselart</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Keep the key for this session only (forget it when I quit)</source>
        <translation>Schlüssel nur für diese Sitzung behalten (beim Beenden vergessen)</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Try the demo community</source>
        <translation>Demo-Community ausprobieren</translation>
    </message>
    <message>
        <source>Community address</source>
        <translation>Adresse der Community</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Approve access in the browser, then paste the text here.</source>
        <translation>Geben Sie den Zugriff im Browser frei und fügen Sie dann den Text hier ein.</translation>
    </message>
    <message>
        <source>First open the authorization page and approve access.</source>
        <translation>Öffnen Sie zuerst die Autorisierungsseite und geben Sie den Zugriff frei.</translation>
    </message>
    <message>
        <source>No system keychain is available to keep the key safely. Tick “Keep the key for this session only” to continue.</source>
        <translation>Kein Schlüsselbund des Systems verfügbar, um den Schlüssel sicher aufzubewahren. Wählen Sie „Schlüssel nur für diese Sitzung behalten“, um fortzufahren.</translation>
    </message>
    <message>
        <source>Checking the connection…</source>
        <translation>Verbindung wird geprüft…</translation>
    </message>
    <message>
        <source>Starting the demo community… (the first start builds it)</source>
        <translation>Demo-Community wird gestartet… (beim ersten Start wird sie erzeugt)</translation>
    </message>
</context>
<context>
    <name>SlaDialog</name>
    <message>
        <source>The clock runs from a question to the first reply by someone else, in working hours only.</source>
        <translation>Die Uhr läuft von einer Frage bis zur ersten Antwort einer anderen Person, nur während der Arbeitszeit.</translation>
    </message>
    <message>
        <source>Response-time targets</source>
        <translation>Reaktionszeit-Ziele</translation>
    </message>
    <message>
        <source>Working day starts at</source>
        <translation>Arbeitstag beginnt um</translation>
    </message>
    <message>
        <source>Working day ends at</source>
        <translation>Arbeitstag endet um</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>An IANA time zone name, such as Europe/Berlin</source>
        <translation>Ein IANA-Zeitzonenname, etwa Europe/Berlin</translation>
    </message>
    <message>
        <source>Public holidays of</source>
        <translation>Gesetzliche Feiertage von</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Whose public holidays are days off (type to jump to a country)</source>
        <translation>Wessen gesetzliche Feiertage arbeitsfrei sind (tippen, um zu einem Land zu springen)</translation>
    </message>
    <message>
        <source>Holidays of the region</source>
        <translation>Feiertage der Region</translation>
    </message>
    <message>
        <source>Regions whose public holidays differ from the country&apos;s</source>
        <translation>Regionen mit abweichenden gesetzlichen Feiertagen</translation>
    </message>
    <message>
        <source>&amp;Region</source>
        <translation>&amp;Region</translation>
    </message>
    <message>
        <source>One date per line, e.g. 2026-12-24</source>
        <translation>Ein Datum pro Zeile, z. B. 2026-12-24</translation>
    </message>
    <message>
        <source> business hours</source>
        <translation> Arbeitsstunden</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Target (hours; blank = default)</source>
        <translation>Ziel (Stunden; leer = Standard)</translation>
    </message>
    <message>
        <source> % of the target left</source>
        <translation> % des Ziels übrig</translation>
    </message>
    <message>
        <source>Working &amp;days</source>
        <translation>Arbeits&amp;tage</translation>
    </message>
    <message>
        <source>Working &amp;hours</source>
        <translation>Arbeits&amp;zeit</translation>
    </message>
    <message>
        <source>Time &amp;zone</source>
        <translation>&amp;Zeitzone</translation>
    </message>
    <message>
        <source>&amp;Public holidays</source>
        <translation>&amp;Gesetzliche Feiertage</translation>
    </message>
    <message>
        <source>&amp;Extra days off</source>
        <translation>&amp;Zusätzliche freie Tage</translation>
    </message>
    <message>
        <source>&amp;First response within</source>
        <translation>&amp;Erste Reaktion innerhalb von</translation>
    </message>
    <message>
        <source>Per &amp;category</source>
        <translation>Je &amp;Kategorie</translation>
    </message>
    <message>
        <source>“Due soon” fr&amp;om</source>
        <translation>„Bald fällig“ &amp;ab</translation>
    </message>
    <message>
        <source>Could not read the targets: {error}</source>
        <translation>Die Ziele konnten nicht gelesen werden: {error}</translation>
    </message>
    <message>
        <source>Whole country</source>
        <translation>Ganzes Land</translation>
    </message>
    <message>
        <source>Only the extra days off below are holidays.</source>
        <translation>Nur die zusätzlichen freien Tage unten sind Feiertage.</translation>
    </message>
    <message numerus="yes">
        <source>%n public holiday(s) in {year} for {place}.</source>
        <translation>
            <numerusform>%n gesetzlicher Feiertag {year} für {place}.</numerusform>
            <numerusform>%n gesetzliche Feiertage {year} für {place}.</numerusform>
        </translation>
    </message>
    <message>
        <source>Next: {dates}.</source>
        <translation>Nächste: {dates}.</translation>
    </message>
    <message>
        <source>“{zone}” is not a known time zone (use a name like Europe/Berlin).</source>
        <translation>„{zone}“ ist keine bekannte Zeitzone (verwenden Sie einen Namen wie Europe/Berlin).</translation>
    </message>
    <message>
        <source>Extra day off line {n} (“{text}”) is not a date; write it as YYYY-MM-DD.</source>
        <translation>Zusätzlicher freier Tag in Zeile {n} („{text}“) ist kein Datum; schreiben Sie JJJJ-MM-TT.</translation>
    </message>
    <message>
        <source>The target for {category} must be a positive number of hours, or blank.</source>
        <translation>Das Ziel für {category} muss eine positive Stundenzahl sein oder leer bleiben.</translation>
    </message>
    <message>
        <source>“{zone}” is not a known time zone.</source>
        <translation>„{zone}“ ist keine bekannte Zeitzone.</translation>
    </message>
    <message>
        <source>Choose at least one working day.</source>
        <translation>Wählen Sie mindestens einen Arbeitstag.</translation>
    </message>
    <message>
        <source>The working day must end after it starts.</source>
        <translation>Der Arbeitstag muss nach seinem Beginn enden.</translation>
    </message>
    <message>
        <source>Nothing was saved: {error}</source>
        <translation>Nichts gespeichert: {error}</translation>
    </message>
</context>
<context>
    <name>SuperusersPage</name>
    <message>
        <source>Leave the trust level as it is</source>
        <translation>Vertrauensstufe unverändert lassen</translation>
    </message>
    <message>
        <source>Trust level 3 (regular)</source>
        <translation>Vertrauensstufe 3 (Stammgast)</translation>
    </message>
    <message>
        <source>Trust level 4 (leader)</source>
        <translation>Vertrauensstufe 4 (Anführer)</translation>
    </message>
    <message>
        <source>+{n} more</source>
        <translation>+{n} weitere</translation>
    </message>
    <message>
        <source>Most-liked posts</source>
        <translation>Beiträge mit den meisten Likes</translation>
    </message>
    <message>
        <source>No posts in this window.</source>
        <translation>Keine Beiträge in diesem Zeitraum.</translation>
    </message>
    <message numerus="yes">
        <source>Last %n month(s)</source>
        <translation>
            <numerusform>Letzter Monat</numerusform>
            <numerusform>Letzte %n Monate</numerusform>
        </translation>
    </message>
    <message>
        <source>Nominate…</source>
        <translation>Nominieren…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Optionen…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Superusers&lt;/b&gt;</source>
        <translation>&lt;b&gt;Superuser&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Posts behind the score (post ids, newest first; click to open)</source>
        <translation>Beiträge hinter der Punktzahl (Beitrags-IDs, neueste zuerst; zum Öffnen klicken)</translation>
    </message>
    <message>
        <source>Second</source>
        <translation>Befürworten</translation>
    </message>
    <message>
        <source>Approve…</source>
        <translation>Genehmigen…</translation>
    </message>
    <message>
        <source>Decline…</source>
        <translation>Ablehnen…</translation>
    </message>
    <message>
        <source>Refresh from server</source>
        <translation>Vom Server aktualisieren</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Nominations</source>
        <translation>Nominierungen</translation>
    </message>
    <message>
        <source>Score window</source>
        <translation>Zeitraum der Punktzahl</translation>
    </message>
    <message>
        <source>Superuser candidates</source>
        <translation>Superuser-Kandidaten</translation>
    </message>
    <message>
        <source>Score breakdown of the selected candidate</source>
        <translation>Punkteaufschlüsselung des ausgewählten Kandidaten</translation>
    </message>
    <message>
        <source>Posts behind the score</source>
        <translation>Beiträge hinter der Punktzahl</translation>
    </message>
    <message>
        <source>Renewal review</source>
        <translation>Verlängerungsprüfung</translation>
    </message>
    <message numerus="yes">
        <source>%n candidate(s) · {excluded} members left out (staff, employees, current superusers, suspended)</source>
        <translation>
            <numerusform>%n Kandidat · {excluded} Mitglieder ausgenommen (Team, Mitarbeiter, aktuelle Superuser, gesperrte)</numerusform>
            <numerusform>%n Kandidaten · {excluded} Mitglieder ausgenommen (Team, Mitarbeiter, aktuelle Superuser, gesperrte)</numerusform>
        </translation>
    </message>
    <message>
        <source>Nominations ({n} open)</source>
        <translation>Nominierungen ({n} offen)</translation>
    </message>
    <message>
        <source>Renewal review ({n})</source>
        <translation>Verlängerungsprüfung ({n})</translation>
    </message>
    <message>
        <source>score &lt;b&gt;{score}&lt;/b&gt;/100</source>
        <translation>Punktzahl &lt;b&gt;{score}&lt;/b&gt;/100</translation>
    </message>
    <message>
        <source>Approve with override…</source>
        <translation>Mit Ausnahme genehmigen…</translation>
    </message>
    <message>
        <source>{have} of {need} required second(s): approving now is an override with a reason</source>
        <translation>{have} von {need} nötigen Befürwortungen: Eine Genehmigung jetzt ist eine Ausnahme mit Begründung</translation>
    </message>
    <message>
        <source>Group, badge and an “Approved” reply, each queued in the outbox</source>
        <translation>Gruppe, Abzeichen und eine „Genehmigt“-Antwort, jeweils im Postausgang eingereiht</translation>
    </message>
    <message>
        <source>Nominate a superuser</source>
        <translation>Superuser nominieren</translation>
    </message>
    <message>
        <source>Why should @{user} become a superuser? Teammates second on this note; the score snapshot is attached.</source>
        <translation>Warum sollte @{user} Superuser werden? Teamkollegen befürworten anhand dieser Notiz; der aktuelle Punktestand wird angehängt.</translation>
    </message>
    <message>
        <source>Nomination of @{user} queued</source>
        <translation>Nominierung von @{user} eingereiht</translation>
    </message>
    <message>
        <source>Nominate</source>
        <translation>Nominieren</translation>
    </message>
    <message>
        <source>Seconded the nomination of @{user}</source>
        <translation>Nominierung von @{user} befürwortet</translation>
    </message>
    <message>
        <source>Approve without the required seconds</source>
        <translation>Ohne die nötigen Befürwortungen genehmigen</translation>
    </message>
    <message>
        <source>The nomination of @{user} has {have} of the {need} second(s) it needs (from teammates other than @{nominator}).
Approving anyway is an override. Why? (kept in the audit journal and posted to the nomination)</source>
        <translation>Die Nominierung von @{user} hat {have} der {need} nötigen Befürwortungen (von anderen Teamkollegen als @{nominator}).
Eine Genehmigung trotzdem ist eine Ausnahme. Warum? (wird im Prüfprotokoll gespeichert und zur Nominierung gepostet)</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Fortfahren</translation>
    </message>
    <message>
        <source>Approve nomination</source>
        <translation>Nominierung genehmigen</translation>
    </message>
    <message>
        <source>@{user} joins the superusers group and gets the Superuser badge.
Also:</source>
        <translation>@{user} kommt in die Superuser-Gruppe und erhält das Superuser-Abzeichen.
Außerdem:</translation>
    </message>
    <message>
        <source>Approval of @{user} queued (override of the required seconds)</source>
        <translation>Genehmigung von @{user} eingereiht (Ausnahme von den nötigen Befürwortungen)</translation>
    </message>
    <message>
        <source>Approval of @{user} queued</source>
        <translation>Genehmigung von @{user} eingereiht</translation>
    </message>
    <message>
        <source>Decline nomination</source>
        <translation>Nominierung ablehnen</translation>
    </message>
    <message>
        <source>Why is @{user} declined?</source>
        <translation>Warum wird @{user} abgelehnt?</translation>
    </message>
    <message>
        <source>Decline of @{user} queued</source>
        <translation>Ablehnung von @{user} eingereiht</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <source>Reminder message</source>
        <translation>Erinnerungsnachricht</translation>
    </message>
    <message>
        <source>Placeholders: {names}. A line marking it as a reminder is added at the end.</source>
        <translation>Platzhalter: {names}. Am Ende wird eine Zeile angefügt, die sie als Erinnerung kennzeichnet.</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <source>Remind when no answer is accepted after</source>
        <translation>Erinnern, wenn keine Lösung akzeptiert ist nach</translation>
    </message>
    <message>
        <source>but not after</source>
        <translation>aber nicht nach</translation>
    </message>
</context>
<context>
    <name>ThreadPanel</name>
    <message>
        <source>Accepting answers goes through the offline outbox, which is not available in this build yet.</source>
        <translation>Lösungen werden über den Offline-Postausgang akzeptiert, der in diesem Build noch nicht verfügbar ist.</translation>
    </message>
    <message>
        <source>{when} · {ago} ago</source>
        <translation>{when} · vor {ago}</translation>
    </message>
    <message>
        <source>Select a question</source>
        <translation>Frage auswählen</translation>
    </message>
    <message>
        <source>Show images</source>
        <translation>Bilder anzeigen</translation>
    </message>
    <message>
        <source>Remote images are blocked; allow them for this session</source>
        <translation>Externe Bilder sind blockiert; für diese Sitzung erlauben</translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation>Im Browser öffnen</translation>
    </message>
    <message>
        <source>Reply…</source>
        <translation>Antworten…</translation>
    </message>
    <message>
        <source>Write a reply or a staff-only whisper (shortcut: r)</source>
        <translation>Eine Antwort oder eine interne Notiz schreiben (Tastenkürzel: r)</translation>
    </message>
    <message>
        <source>Similar solved questions</source>
        <translation>Ähnliche gelöste Fragen</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Link kopieren</translation>
    </message>
    <message>
        <source>Copy the selected question&apos;s link, to paste into a reply</source>
        <translation>Den Link der ausgewählten Frage kopieren, um ihn in eine Antwort einzufügen</translation>
    </message>
    <message>
        <source>Suggested experts</source>
        <translation>Vorgeschlagene Experten</translation>
    </message>
    <message>
        <source>Copy @mention</source>
        <translation>@Erwähnung kopieren</translation>
    </message>
    <message>
        <source>Choose a question in the queue and press Enter.</source>
        <translation>Wählen Sie eine Frage in der Warteschlange und drücken Sie Enter.</translation>
    </message>
    <message>
        <source>Solved</source>
        <translation>Gelöst</translation>
    </message>
    <message>
        <source>Unsolved</source>
        <translation>Ungelöst</translation>
    </message>
    <message numerus="yes">
        <source>Solved · %n accepted answer(s)</source>
        <translation>
            <numerusform>Gelöst · %n akzeptierte Antwort</numerusform>
            <numerusform>Gelöst · %n akzeptierte Antworten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{category} · {state} · asked {when} · %n post(s)</source>
        <translation>
            <numerusform>{category} · {state} · gestellt {when} · %n Beitrag</numerusform>
            <numerusform>{category} · {state} · gestellt {when} · %n Beiträge</numerusform>
        </translation>
    </message>
    <message>
        <source>No similar solved questions found.</source>
        <translation>Keine ähnlichen gelösten Fragen gefunden.</translation>
    </message>
    <message>
        <source>{solved} solved here · {open} open threads</source>
        <translation>{solved} hier gelöst · {open} offene Themen</translation>
    </message>
    <message>
        <source>Nobody has solved questions here recently.</source>
        <translation>Hier hat in letzter Zeit niemand Fragen gelöst.</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Undone: {actions}.</source>
        <translation>Rückgängig gemacht: {actions}.</translation>
    </message>
    <message>
        <source>Already sent to the community, so it cannot be undone: {actions}.</source>
        <translation>Schon an die Community gesendet, daher nicht rückgängig zu machen: {actions}.</translation>
    </message>
    <message>
        <source>Being sent right now, so it cannot be undone: {actions}.</source>
        <translation>Wird gerade gesendet, daher nicht rückgängig zu machen: {actions}.</translation>
    </message>
    <message>
        <source>Nothing left to undo: {actions} (see the Outbox).</source>
        <translation>Nichts mehr rückgängig zu machen: {actions} (siehe Postausgang).</translation>
    </message>
    <message>
        <source>Nothing to undo.</source>
        <translation>Nichts rückgängig zu machen.</translation>
    </message>
    <message>
        <source>the snooze of the selected questions</source>
        <translation>das Zurückstellen der ausgewählten Fragen</translation>
    </message>
</context>
<context>
    <name>UndoToast</name>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Cancel this action while it is still waiting to be sent</source>
        <translation>Diese Aktion abbrechen, solange sie noch auf das Senden wartet</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <source>Conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>angewendet</translation>
    </message>
    <message>
        <source>was already so</source>
        <translation>war bereits so</translation>
    </message>
    <message>
        <source>the topic or post is gone</source>
        <translation>das Thema oder der Beitrag existiert nicht mehr</translation>
    </message>
    <message>
        <source>changed on the server meanwhile</source>
        <translation>inzwischen auf dem Server geändert</translation>
    </message>
    <message>
        <source>needs your confirmation</source>
        <translation>braucht Ihre Bestätigung</translation>
    </message>
    <message>
        <source>refused by the server</source>
        <translation>vom Server abgelehnt</translation>
    </message>
    <message>
        <source>not allowed for this account</source>
        <translation>für dieses Konto nicht erlaubt</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>ungültig</translation>
    </message>
    <message>
        <source>discarded</source>
        <translation>verworfen</translation>
    </message>
    <message>
        <source>replaced by a later action</source>
        <translation>durch eine spätere Aktion ersetzt</translation>
    </message>
    <message>
        <source>cancelled out by a later action</source>
        <translation>durch eine spätere Aktion aufgehoben</translation>
    </message>
    <message>
        <source>Discarded</source>
        <translation>Verworfen</translation>
    </message>
    <message>
        <source>Replaced by a later action</source>
        <translation>Durch eine spätere Aktion ersetzt</translation>
    </message>
    <message>
        <source>Cancelled out by a later action</source>
        <translation>Durch eine spätere Aktion aufgehoben</translation>
    </message>
    <message>
        <source>The topic or post is gone</source>
        <translation>Das Thema oder der Beitrag existiert nicht mehr</translation>
    </message>
    <message>
        <source>Refused by the server</source>
        <translation>Vom Server abgelehnt</translation>
    </message>
    <message>
        <source>Not allowed for this account</source>
        <translation>Für dieses Konto nicht erlaubt</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>Ungültig</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>Angewendet</translation>
    </message>
    <message>
        <source>Was already so</source>
        <translation>War bereits so</translation>
    </message>
    <message>
        <source>Changed on the server meanwhile</source>
        <translation>Inzwischen auf dem Server geändert</translation>
    </message>
    <message>
        <source>Needs your confirmation</source>
        <translation>Braucht Ihre Bestätigung</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Apply anyway</source>
        <translation>Trotzdem anwenden</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>Verwerfen…</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>“{title}”</source>
        <translation>„{title}“</translation>
    </message>
    <message>
        <source>a topic</source>
        <translation>einem Thema</translation>
    </message>
    <message>
        <source>flag #{id} in {where}</source>
        <translation>Meldung #{id} in {where}</translation>
    </message>
    <message>
        <source>post #{id} awaiting approval in {where}</source>
        <translation>Beitrag #{id} zur Freigabe in {where}</translation>
    </message>
    <message>
        <source>review item {id}</source>
        <translation>Prüfeintrag {id}</translation>
    </message>
    <message>
        <source>user #{id}</source>
        <translation>Benutzer #{id}</translation>
    </message>
    <message>
        <source>a member</source>
        <translation>einem Mitglied</translation>
    </message>
    <message>
        <source>topic {id}</source>
        <translation>Thema {id}</translation>
    </message>
    <message>
        <source>Accept @{author}&apos;s reply in {where}</source>
        <translation>Antwort von @{author} in {where} als Lösung akzeptieren</translation>
    </message>
    <message>
        <source>Accept reply #{n} in {where}</source>
        <translation>Antwort #{n} in {where} als Lösung akzeptieren</translation>
    </message>
    <message>
        <source>Unaccept reply #{n} in {where}</source>
        <translation>Lösung #{n} in {where} zurücknehmen</translation>
    </message>
    <message>
        <source>Remind @{asker} to accept an answer in {where}</source>
        <translation>@{asker} daran erinnern, in {where} eine Lösung zu akzeptieren</translation>
    </message>
    <message>
        <source>Whisper (staff-only note) in {where}</source>
        <translation>Flüstern (interne Notiz) in {where}</translation>
    </message>
    <message>
        <source>Reply in {where}</source>
        <translation>In {where} antworten</translation>
    </message>
    <message>
        <source>Close {where}</source>
        <translation>{where} schließen</translation>
    </message>
    <message>
        <source>Like post {post} in topic {topic}</source>
        <translation>Beitrag {post} in Thema {topic} liken</translation>
    </message>
    <message>
        <source>Start the topic {title}</source>
        <translation>Thema {title} eröffnen</translation>
    </message>
    <message>
        <source>Award “{badge}” to @{user}</source>
        <translation>„{badge}“ an @{user} verleihen</translation>
    </message>
    <message>
        <source>Revoke “{badge}” from @{user}</source>
        <translation>@{user} „{badge}“ entziehen</translation>
    </message>
    <message>
        <source>Add @{user} to the group “{group}”</source>
        <translation>@{user} zur Gruppe „{group}“ hinzufügen</translation>
    </message>
    <message>
        <source>Remove @{user} from the group “{group}”</source>
        <translation>@{user} aus der Gruppe „{group}“ entfernen</translation>
    </message>
    <message>
        <source>Set @{user}&apos;s trust level to {level}</source>
        <translation>Vertrauensstufe von @{user} auf {level} setzen</translation>
    </message>
    <message>
        <source>Review: “{action}” on {item}</source>
        <translation>Prüfung: „{action}“ für {item}</translation>
    </message>
    <message>
        <source>Claim {item}</source>
        <translation>{item} beanspruchen</translation>
    </message>
    <message>
        <source>Release the claim on {item}</source>
        <translation>Anspruch auf {item} freigeben</translation>
    </message>
    <message>
        <source>Assign {where} to {who}</source>
        <translation>{where} {who} zuweisen</translation>
    </message>
    <message>
        <source>Unassign {where}</source>
        <translation>Zuweisung von {where} aufheben</translation>
    </message>
    <message>
        <source>Add a staff note on {who}</source>
        <translation>Notiz fürs Team zu {who} hinzufügen</translation>
    </message>
    <message>
        <source>Delete a staff note on {who}</source>
        <translation>Notiz fürs Team zu {who} löschen</translation>
    </message>
    <message>
        <source>Topic: {title} (#{id})</source>
        <translation>Thema: {title} (#{id})</translation>
    </message>
    <message>
        <source>Reply: #{n} by @{author} (post {post})</source>
        <translation>Antwort: #{n} von @{author} (Beitrag {post})</translation>
    </message>
    <message>
        <source>Reply: #{n} (post {post})</source>
        <translation>Antwort: #{n} (Beitrag {post})</translation>
    </message>
    <message>
        <source>Member: @{user}</source>
        <translation>Mitglied: @{user}</translation>
    </message>
    <message>
        <source>Badge: {badge} (can be awarded several times)</source>
        <translation>Abzeichen: {badge} (mehrfach verleihbar)</translation>
    </message>
    <message>
        <source>Badge: {badge}</source>
        <translation>Abzeichen: {badge}</translation>
    </message>
    <message>
        <source>Group: {group}</source>
        <translation>Gruppe: {group}</translation>
    </message>
    <message>
        <source>Trust level: {level}</source>
        <translation>Vertrauensstufe: {level}</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>Anlass: {reason}</translation>
    </message>
    <message>
        <source>Title: {title}</source>
        <translation>Titel: {title}</translation>
    </message>
    <message>
        <source>Text: {text}</source>
        <translation>Text: {text}</translation>
    </message>
    <message>
        <source>Apply anyway: yes (chosen after a conflict)</source>
        <translation>Trotzdem anwenden: ja (nach einem Konflikt gewählt)</translation>
    </message>
    <message>
        <source>None recorded.</source>
        <translation>Nichts festgehalten.</translation>
    </message>
    <message>
        <source>When queued, no answer was accepted.</source>
        <translation>Beim Einreihen war keine Lösung akzeptiert.</translation>
    </message>
    <message>
        <source>When queued, reply #{n} was accepted.</source>
        <translation>Beim Einreihen war Antwort #{n} als Lösung akzeptiert.</translation>
    </message>
    <message>
        <source>When queued, they held it (award #{award}, granted {when} UTC).</source>
        <translation>Beim Einreihen besaß das Mitglied es (Verleihung #{award}, verliehen {when} UTC).</translation>
    </message>
    <message>
        <source>When queued, they held it (award #{award}).</source>
        <translation>Beim Einreihen besaß das Mitglied es (Verleihung #{award}).</translation>
    </message>
    <message>
        <source>When queued, they were a member.</source>
        <translation>Beim Einreihen war die Person Mitglied.</translation>
    </message>
    <message>
        <source>When queued, they were not a member.</source>
        <translation>Beim Einreihen war die Person kein Mitglied.</translation>
    </message>
    <message>
        <source>When queued, their trust level was {level}.</source>
        <translation>Beim Einreihen war die Vertrauensstufe {level}.</translation>
    </message>
    <message>
        <source>When queued, they were suspended.</source>
        <translation>Beim Einreihen war die Person gesperrt.</translation>
    </message>
    <message>
        <source>When queued, they were not suspended.</source>
        <translation>Beim Einreihen war die Person nicht gesperrt.</translation>
    </message>
    <message>
        <source>When queued, the topic had an accepted answer.</source>
        <translation>Beim Einreihen hatte das Thema eine akzeptierte Lösung.</translation>
    </message>
    <message>
        <source>When queued, the topic had no accepted answer.</source>
        <translation>Beim Einreihen hatte das Thema keine akzeptierte Lösung.</translation>
    </message>
    <message>
        <source>Discarded by @{who}: {note}</source>
        <translation>Verworfen von @{who}: {note}</translation>
    </message>
    <message>
        <source>Discarded by @{who}</source>
        <translation>Verworfen von @{who}</translation>
    </message>
    <message>
        <source>{state}: {resolution}</source>
        <translation>{state}: {resolution}</translation>
    </message>
    <message>
        <source>{state} (over a week)</source>
        <translation>{state} (über eine Woche)</translation>
    </message>
    <message>
        <source>{at} @{who}: {choice} — {note}</source>
        <translation>{at} @{who}: {choice} – {note}</translation>
    </message>
    <message>
        <source>{at} @{who}: {choice}</source>
        <translation>{at} @{who}: {choice}</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Überfällig</translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation>Bald fällig</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>Im Plan</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>Eingehalten</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Verfehlt</translation>
    </message>
    <message>
        <source>No reply</source>
        <translation>Keine Antwort</translation>
    </message>
    <message>
        <source>Only the asker replied</source>
        <translation>Nur der Fragesteller hat geantwortet</translation>
    </message>
    <message>
        <source>Awaiting an employee</source>
        <translation>Wartet auf Mitarbeiter</translation>
    </message>
    <message>
        <source>Replied, unsolved</source>
        <translation>Beantwortet, ungelöst</translation>
    </message>
    <message>
        <source>Solved</source>
        <translation>Gelöst</translation>
    </message>
    <message>
        <source>Open questions</source>
        <translation>Offene Fragen</translation>
    </message>
    <message>
        <source>No reply yet</source>
        <translation>Noch keine Antwort</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Meine</translation>
    </message>
    <message>
        <source>Change: against the same-length period just before. When that period had none (0), the change reads “new”. When it had a small count (under 20) or the value grew tenfold or more, the change reads as a multiple with the base shown, e.g. “▲ 3.5× (from 2)”, because a percentage of a tiny base (“▲ 21950 %”) says nothing. A period still running (so far) is compared with a previous period of the same length.</source>
        <translation>Veränderung: gegenüber dem unmittelbar vorangehenden, gleich langen Zeitraum. Hatte dieser keinen Wert (0), lautet die Veränderung „neu“. Hatte er eine kleine Anzahl (unter 20) oder ist der Wert auf das Zehnfache oder mehr gewachsen, wird die Veränderung als Vielfaches mit der Basis angegeben, z. B. „▲ 3,5× (von 2)“, denn ein Prozentsatz einer winzigen Basis („▲ 21950 %“) sagt nichts aus. Ein noch laufender Zeitraum (bisher) wird mit einem gleich langen vorherigen Zeitraum verglichen.</translation>
    </message>
    <message>
        <source>Growth</source>
        <translation>Wachstum</translation>
    </message>
    <message>
        <source>Engagement</source>
        <translation>Beteiligung</translation>
    </message>
    <message>
        <source>Support health</source>
        <translation>Support-Qualität</translation>
    </message>
    <message>
        <source>Company impact</source>
        <translation>Nutzen für das Unternehmen</translation>
    </message>
    <message>
        <source>Logins and sessions (server-reported)</source>
        <translation>Anmeldungen und Sitzungen (vom Server gemeldet)</translation>
    </message>
    <message>
        <source>Times are UTC. A post counts when it is a regular post (not a small action or whisper), not deleted, in a topic that is not deleted; hidden posts count. A question is a topic in a category that accepts solutions, opened by someone who is not an employee (see Settings → Employees).</source>
        <translation>Zeiten in UTC. Ein Beitrag zählt, wenn er ein regulärer Beitrag ist (keine kleine Aktion und kein Flüstern), nicht gelöscht ist und in einem nicht gelöschten Thema steht; ausgeblendete Beiträge zählen. Eine Frage ist ein Thema in einer Kategorie mit Lösungen, eröffnet von jemandem, der kein Mitarbeiter ist (siehe Einstellungen → Mitarbeiter).</translation>
    </message>
    <message>
        <source>New members</source>
        <translation>Neue Mitglieder</translation>
    </message>
    <message>
        <source>Accounts created in the period (employees included).</source>
        <translation>Im Zeitraum angelegte Konten (Mitarbeiter eingeschlossen).</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Accounts created before the end of the period (employees included).</source>
        <translation>Vor dem Ende des Zeitraums angelegte Konten (Mitarbeiter eingeschlossen).</translation>
    </message>
    <message>
        <source>Attach rate</source>
        <translation>Abdeckungsquote</translation>
    </message>
    <message>
        <source>Customer companies with at least one member ÷ customer companies, at the end of the period. Customer companies are the accounts imported from CSV (Settings → Customer accounts). A member belongs to an account when their e-mail domain is one of its domains, or their company user field equals its name.</source>
        <translation>Kundenunternehmen mit mindestens einem Mitglied ÷ Kundenunternehmen, am Ende des Zeitraums. Kundenunternehmen sind die aus CSV importierten Konten (Einstellungen → Kundenkonten). Ein Mitglied gehört zu einem Konto, wenn seine E-Mail-Domain eine der Domains des Kontos ist oder sein Unternehmensfeld dessen Namen entspricht.</translation>
    </message>
    <message>
        <source>New topics</source>
        <translation>Neue Themen</translation>
    </message>
    <message>
        <source>Topics created in the period that are not deleted.</source>
        <translation>Im Zeitraum erstellte Themen, die nicht gelöscht sind.</translation>
    </message>
    <message>
        <source>New replies</source>
        <translation>Neue Antworten</translation>
    </message>
    <message>
        <source>Counted posts other than the first post of their topic, created in the period.</source>
        <translation>Gezählte Beiträge außer dem ersten Beitrag ihres Themas, im Zeitraum erstellt.</translation>
    </message>
    <message>
        <source>New posts</source>
        <translation>Neue Beiträge</translation>
    </message>
    <message>
        <source>Counted posts (first posts and replies) created in the period.</source>
        <translation>Gezählte Beiträge (erste Beiträge und Antworten), im Zeitraum erstellt.</translation>
    </message>
    <message>
        <source>Active contributors</source>
        <translation>Aktive Mitglieder</translation>
    </message>
    <message>
        <source>Distinct members with at least one counted post (topic or reply) created in the period.</source>
        <translation>Verschiedene Mitglieder mit mindestens einem gezählten Beitrag (Thema oder Antwort) im Zeitraum.</translation>
    </message>
    <message>
        <source>Active customer contributors</source>
        <translation>Aktive Kunden</translation>
    </message>
    <message>
        <source>Active contributors who are not employees.</source>
        <translation>Aktive Mitglieder, die keine Mitarbeiter sind.</translation>
    </message>
    <message>
        <source>Monthly active contributors</source>
        <translation>Monatlich aktive Mitglieder</translation>
    </message>
    <message>
        <source>Active contributors ÷ members at the end of the period, in percent.</source>
        <translation>Aktive Mitglieder ÷ Mitglieder am Ende des Zeitraums, in Prozent.</translation>
    </message>
    <message>
        <source>Posts per active member</source>
        <translation>Beiträge pro aktivem Mitglied</translation>
    </message>
    <message>
        <source>New posts ÷ active contributors in the period.</source>
        <translation>Neue Beiträge ÷ aktive Mitglieder im Zeitraum.</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>Likes</translation>
    </message>
    <message>
        <source>Likes given in the period (the site&apos;s &apos;likes&apos; report: likes by the day they were given).</source>
        <translation>Im Zeitraum vergebene Likes (Bericht &apos;likes&apos; der Site: Likes nach dem Tag der Vergabe).</translation>
    </message>
    <message>
        <source>Questions asked</source>
        <translation>Gestellte Fragen</translation>
    </message>
    <message>
        <source>Questions created in the period.</source>
        <translation>Im Zeitraum erstellte Fragen.</translation>
    </message>
    <message>
        <source>Questions answered</source>
        <translation>Beantwortete Fragen</translation>
    </message>
    <message>
        <source>Questions asked in the period that have a response now. A response is a counted reply by someone other than the asker.</source>
        <translation>Im Zeitraum gestellte Fragen, die jetzt eine Reaktion haben. Eine Reaktion ist eine gezählte Antwort einer anderen Person als des Fragestellers.</translation>
    </message>
    <message>
        <source>Questions solved</source>
        <translation>Gelöste Fragen</translation>
    </message>
    <message>
        <source>Questions asked in the period that have an accepted answer now.</source>
        <translation>Im Zeitraum gestellte Fragen, die jetzt eine akzeptierte Lösung haben.</translation>
    </message>
    <message>
        <source>Answer rate</source>
        <translation>Antwortquote</translation>
    </message>
    <message>
        <source>Questions asked in the period that have a response now ÷ questions asked, in percent.</source>
        <translation>Im Zeitraum gestellte Fragen mit einer Reaktion ÷ gestellte Fragen, in Prozent.</translation>
    </message>
    <message>
        <source>Solution rate</source>
        <translation>Lösungsquote</translation>
    </message>
    <message>
        <source>Questions asked in the period that have an accepted answer now ÷ questions asked, in percent.</source>
        <translation>Im Zeitraum gestellte Fragen mit akzeptierter Lösung ÷ gestellte Fragen, in Prozent.</translation>
    </message>
    <message>
        <source>Median time to first response</source>
        <translation>Median der Zeit bis zur ersten Reaktion</translation>
    </message>
    <message>
        <source>Over questions asked in the period that have a response: the median of (first response − question) wall-clock time; the first response is the earliest response (ties: lowest post number). With an even count, the mean of the two middle values.</source>
        <translation>Über die im Zeitraum gestellten Fragen mit Reaktion: der Median von (erste Reaktion − Frage) in Kalenderzeit; die erste Reaktion ist die früheste (bei Gleichstand: niedrigste Beitragsnummer). Bei gerader Anzahl der Mittelwert der beiden mittleren Werte.</translation>
    </message>
    <message>
        <source>90th percentile time to first response</source>
        <translation>90. Perzentil der Zeit bis zur ersten Reaktion</translation>
    </message>
    <message>
        <source>Nearest-rank 90th percentile (the ⌈0.9·n⌉-th smallest) of the same times as the median.</source>
        <translation>90. Perzentil nach dem Rangverfahren (der ⌈0,9·n⌉-kleinste Wert) derselben Zeiten wie beim Median.</translation>
    </message>
    <message>
        <source>Questions with a first response</source>
        <translation>Fragen mit erster Reaktion</translation>
    </message>
    <message>
        <source>The n of the time-to-first-response figures.</source>
        <translation>Das n der Werte zur Zeit bis zur ersten Reaktion.</translation>
    </message>
    <message>
        <source>Median time to solution</source>
        <translation>Median der Zeit bis zur Lösung</translation>
    </message>
    <message>
        <source>Over questions asked in the period that are solved: the median of (accepted answer posted − question) wall-clock time; the acceptance time itself is used when the site reports it.</source>
        <translation>Über die im Zeitraum gestellten, gelösten Fragen: der Median von (akzeptierte Lösung verfasst − Frage) in Kalenderzeit; meldet die Site den Zeitpunkt der Akzeptanz, wird dieser verwendet.</translation>
    </message>
    <message>
        <source>90th percentile time to solution</source>
        <translation>90. Perzentil der Zeit bis zur Lösung</translation>
    </message>
    <message>
        <source>Nearest-rank 90th percentile of the same times as the median time to solution.</source>
        <translation>90. Perzentil nach dem Rangverfahren derselben Zeiten wie beim Median der Zeit bis zur Lösung.</translation>
    </message>
    <message>
        <source>Unanswered backlog</source>
        <translation>Unbeantworteter Rückstand</translation>
    </message>
    <message>
        <source>Questions without any response at the end of the period (asked at any time before it; closed or not). A question whose only other reply was deleted is unanswered.</source>
        <translation>Fragen ohne jede Reaktion am Ende des Zeitraums (irgendwann davor gestellt; geschlossen oder nicht). Eine Frage, deren einzige fremde Antwort gelöscht wurde, gilt als unbeantwortet.</translation>
    </message>
    <message>
        <source>SLA attainment</source>
        <translation>SLA-Erfüllung</translation>
    </message>
    <message>
        <source>Of the questions asked in the period whose first-response clock has stopped or run out: the share answered within the target in business hours (Settings → SLA: working days, hours, time zone, holidays, per-category targets). Questions still within their target are left out.</source>
        <translation>Von den im Zeitraum gestellten Fragen, deren Uhr für die erste Reaktion angehalten oder abgelaufen ist: der Anteil, der innerhalb des Ziels in Arbeitszeit beantwortet wurde (Einstellungen → SLA: Arbeitstage, Arbeitszeit, Zeitzone, Feiertage, Ziele je Kategorie). Fragen, die noch im Ziel liegen, bleiben außen vor.</translation>
    </message>
    <message>
        <source>Peer-to-peer first responses</source>
        <translation>Peer-to-Peer-Erstreaktionen</translation>
    </message>
    <message>
        <source>Of the questions asked in the period that have a first response: the share whose first responder is not an employee.</source>
        <translation>Von den im Zeitraum gestellten Fragen mit erster Reaktion: der Anteil, dessen erste Reaktion nicht von einem Mitarbeiter kam.</translation>
    </message>
    <message>
        <source>Peer-to-peer solutions</source>
        <translation>Peer-to-Peer-Lösungen</translation>
    </message>
    <message>
        <source>Of the questions asked in the period that are solved: the share whose accepted answer was written by someone who is not an employee.</source>
        <translation>Von den im Zeitraum gestellten, gelösten Fragen: der Anteil, dessen akzeptierte Lösung von jemandem stammt, der kein Mitarbeiter ist.</translation>
    </message>
    <message>
        <source>First responses by customers</source>
        <translation>Erstreaktionen von Kunden</translation>
    </message>
    <message>
        <source>Questions asked in the period whose first responder is not an employee.</source>
        <translation>Im Zeitraum gestellte Fragen, deren erste Reaktion nicht von einem Mitarbeiter kam.</translation>
    </message>
    <message>
        <source>First responses by employees</source>
        <translation>Erstreaktionen von Mitarbeitern</translation>
    </message>
    <message>
        <source>Questions asked in the period whose first responder is an employee.</source>
        <translation>Im Zeitraum gestellte Fragen, deren erste Reaktion von einem Mitarbeiter kam.</translation>
    </message>
    <message>
        <source>Solutions by customers</source>
        <translation>Lösungen von Kunden</translation>
    </message>
    <message>
        <source>Solved questions asked in the period whose accepted answer is by someone who is not an employee.</source>
        <translation>Im Zeitraum gestellte, gelöste Fragen, deren akzeptierte Lösung von jemandem stammt, der kein Mitarbeiter ist.</translation>
    </message>
    <message>
        <source>Solutions by employees</source>
        <translation>Lösungen von Mitarbeitern</translation>
    </message>
    <message>
        <source>Solved questions asked in the period whose accepted answer is by an employee.</source>
        <translation>Im Zeitraum gestellte, gelöste Fragen, deren akzeptierte Lösung von einem Mitarbeiter stammt.</translation>
    </message>
    <message>
        <source>Tickets deflected (estimate)</source>
        <translation>Vermiedene Tickets (Schätzung)</translation>
    </message>
    <message>
        <source>Views of the solved questions asked in the period × the deflection rate (Settings → Impact; default 5 % of views would otherwise have become a support ticket). An estimate, not a count.</source>
        <translation>Aufrufe der im Zeitraum gestellten, gelösten Fragen × Vermeidungsquote (Einstellungen → Nutzen; Standard: 5 % der Aufrufe wären sonst ein Support-Ticket geworden). Eine Schätzung, keine Zählung.</translation>
    </message>
    <message>
        <source>Support cost avoided (estimate)</source>
        <translation>Eingesparte Supportkosten (Schätzung)</translation>
    </message>
    <message>
        <source>Tickets deflected × cost per ticket (Settings → Impact; default 25.00).</source>
        <translation>Vermiedene Tickets × Kosten pro Ticket (Einstellungen → Nutzen; Standard 25,00).</translation>
    </message>
    <message>
        <source>CSAT</source>
        <translation>CSAT</translation>
    </message>
    <message>
        <source>Share of survey answers in the period scoring 4 or 5 on the 1–5 satisfaction scale (imported survey CSV). Empty when no survey was imported.</source>
        <translation>Anteil der Umfrageantworten im Zeitraum mit 4 oder 5 auf der Zufriedenheitsskala 1–5 (importierte Umfrage-CSV). Leer, wenn keine Umfrage importiert wurde.</translation>
    </message>
    <message>
        <source>Customer effort</source>
        <translation>Kundenaufwand</translation>
    </message>
    <message>
        <source>Mean effort score (1 = very easy … 7 = very hard) of survey answers in the period (imported survey CSV).</source>
        <translation>Mittlerer Aufwandswert (1 = sehr leicht … 7 = sehr schwer) der Umfrageantworten im Zeitraum (importierte Umfrage-CSV).</translation>
    </message>
    <message>
        <source>Solutions accepted</source>
        <translation>Akzeptierte Lösungen (nach Tag)</translation>
    </message>
    <message>
        <source>Answers accepted as the solution in the period, by the day of acceptance (the site&apos;s &apos;accepted_solutions&apos; report).</source>
        <translation>Im Zeitraum als Lösung akzeptierte Antworten, nach dem Tag der Akzeptanz (Bericht &apos;accepted_solutions&apos; der Site).</translation>
    </message>
    <message>
        <source>Daily engaged users</source>
        <translation>Täglich aktive Nutzer</translation>
    </message>
    <message>
        <source>Average per day of the members who posted or liked that day (the site&apos;s &apos;daily_engaged_users&apos;).</source>
        <translation>Tagesdurchschnitt der Mitglieder, die an dem Tag geschrieben oder geliked haben (&apos;daily_engaged_users&apos; der Site).</translation>
    </message>
    <message>
        <source>DAU / MAU</source>
        <translation>DAU / MAU</translation>
    </message>
    <message>
        <source>Average per day of daily visitors ÷ visitors of the preceding 30 days (the site&apos;s &apos;dau_by_mau&apos;).</source>
        <translation>Tagesdurchschnitt von täglichen Besuchern ÷ Besuchern der vorangehenden 30 Tage (&apos;dau_by_mau&apos; der Site).</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Besuche</translation>
    </message>
    <message>
        <source>Member-days with a visit in the period (the site&apos;s &apos;visits&apos; report: one per member and day).</source>
        <translation>Mitglieder-Tage mit einem Besuch im Zeitraum (Bericht &apos;visits&apos; der Site: einer pro Mitglied und Tag).</translation>
    </message>
    <message>
        <source>admins and moderators</source>
        <translation>Administratoren und Moderatoren</translation>
    </message>
    <message>
        <source>members sharing a staff e-mail domain</source>
        <translation>Mitglieder mit der E-Mail-Domain des Teams</translation>
    </message>
    <message>
        <source>e-mail domains {list}</source>
        <translation>E-Mail-Domains {list}</translation>
    </message>
    <message>
        <source>groups {list}</source>
        <translation>Gruppen {list}</translation>
    </message>
    <message>
        <source>{n} named members</source>
        <translation>{n} namentlich genannte Mitglieder</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message>
        <source>{first}; {second}</source>
        <translation>{first}; {second}</translation>
    </message>
    <message>
        <source>gold</source>
        <translation>Gold</translation>
    </message>
    <message>
        <source>silver</source>
        <translation>Silber</translation>
    </message>
    <message>
        <source>bronze</source>
        <translation>Bronze</translation>
    </message>
    <message>
        <source>will be granted</source>
        <translation>erhalten es</translation>
    </message>
    <message>
        <source>already holds it</source>
        <translation>haben es bereits</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>nicht gefunden</translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation>nicht erlaubt</translation>
    </message>
    <message>
        <source>listed twice</source>
        <translation>doppelt aufgeführt</translation>
    </message>
    <message>
        <source>“{badge}”</source>
        <translation>„{badge}“</translation>
    </message>
    <message>
        <source>“{badge}” ({tier} badge)</source>
        <translation>„{badge}“ ({tier}-Abzeichen)</translation>
    </message>
    <message>
        <source>{n} {outcome}</source>
        <translation>{n} {outcome}</translation>
    </message>
    <message>
        <source>{n} malformed CSV line(s)</source>
        <translation>{n} fehlerhafte CSV-Zeile(n)</translation>
    </message>
    <message>
        <source>nobody selected</source>
        <translation>niemand ausgewählt</translation>
    </message>
    <message>
        <source>{first}, {second}</source>
        <translation>{first}, {second}</translation>
    </message>
    <message>
        <source>✔ Accepted answer in “{title}” ({day})</source>
        <translation>✔ Akzeptierte Lösung in „{title}“ ({day})</translation>
    </message>
    <message>
        <source>1 like</source>
        <translation>1 Like</translation>
    </message>
    <message>
        <source>{n} likes</source>
        <translation>{n} Likes</translation>
    </message>
    <message>
        <source>Post #{n} in “{title}” ({day}, {likes})</source>
        <translation>Beitrag #{n} in „{title}“ ({day}, {likes})</translation>
    </message>
    <message>
        <source>No badge “{badge}” is known on this community, or it is disabled.</source>
        <translation>In dieser Community ist kein Abzeichen „{badge}“ bekannt, oder es ist deaktiviert.</translation>
    </message>
    <message>
        <source>The badge “{badge}” is disabled.</source>
        <translation>Das Abzeichen „{badge}“ ist deaktiviert.</translation>
    </message>
    <message>
        <source>The badge “{badge}” is awarded automatically; it cannot be granted by hand.</source>
        <translation>Das Abzeichen „{badge}“ wird automatisch verliehen; es kann nicht manuell verliehen werden.</translation>
    </message>
    <message>
        <source>“{badge}” can be awarded several times: give a reason link so each grant is tied to a post.</source>
        <translation>„{badge}“ kann mehrfach verliehen werden: Geben Sie einen Anlass-Link an, damit jede Verleihung an einen Beitrag gebunden ist.</translation>
    </message>
    <message>
        <source>Accepted answers</source>
        <translation>Akzeptierte Lösungen</translation>
    </message>
    <message>
        <source>First responses</source>
        <translation>Erstreaktionen</translation>
    </message>
    <message>
        <source>Replies to others</source>
        <translation>Antworten an andere</translation>
    </message>
    <message>
        <source>Members helped</source>
        <translation>Geholfene Mitglieder</translation>
    </message>
    <message>
        <source>Likes received</source>
        <translation>Erhaltene Likes</translation>
    </message>
    <message>
        <source>Months active</source>
        <translation>Aktive Monate</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Kategorien</translation>
    </message>
    <message>
        <source>Days since last post</source>
        <translation>Tage seit dem letzten Beitrag</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>genehmigt</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>ignored</source>
        <translation>ignoriert</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>gelöscht</translation>
    </message>
    <message>
        <source>The review item no longer exists (or you can no longer see it).</source>
        <translation>Der Prüfeintrag existiert nicht mehr (oder Sie können ihn nicht mehr sehen).</translation>
    </message>
    <message>
        <source>@{user} already handled this item ({status}) before your “{action}” arrived.</source>
        <translation>@{user} hat diesen Eintrag bereits bearbeitet ({status}), bevor Ihr „{action}“ ankam.</translation>
    </message>
    <message>
        <source>Another moderator already handled this item ({status}) before your “{action}” arrived.</source>
        <translation>Ein anderer Moderator hat diesen Eintrag bereits bearbeitet ({status}), bevor Ihr „{action}“ ankam.</translation>
    </message>
    <message>
        <source>The item changed since you read it (version {seen} → {now}); it is still waiting for review. Retry reads it again and sends your choice if it is still offered.</source>
        <translation>Der Eintrag hat sich geändert, seit Sie ihn gelesen haben (Version {seen} → {now}); er wartet weiter auf Prüfung. „Erneut versuchen“ liest ihn neu und sendet Ihre Wahl, falls sie noch angeboten wird.</translation>
    </message>
    <message>
        <source>@{user} claimed this item first.</source>
        <translation>@{user} hat diesen Eintrag zuerst beansprucht.</translation>
    </message>
    <message>
        <source>“{action}” is no longer offered for this item; it offers {offered} now.</source>
        <translation>„{action}“ wird für diesen Eintrag nicht mehr angeboten; er bietet jetzt {offered}.</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <source>The topic was deleted or is no longer visible.</source>
        <translation>Das Thema wurde gelöscht oder ist nicht mehr sichtbar.</translation>
    </message>
    <message>
        <source>Meanwhile the topic was assigned to {holder}; assigning it to {target} now would take it from them.</source>
        <translation>Inzwischen wurde das Thema {holder} zugewiesen; es jetzt {target} zuzuweisen, würde es ihnen wegnehmen.</translation>
    </message>
    <message>
        <source>Meanwhile the topic was assigned to {holder}; unassigning it now would take it from them.</source>
        <translation>Inzwischen wurde das Thema {holder} zugewiesen; die Zuweisung jetzt aufzuheben, würde es ihnen wegnehmen.</translation>
    </message>
    <message>
        <source>The member no longer exists, or the community turned User Notes off.</source>
        <translation>Das Mitglied gibt es nicht mehr, oder die Community hat User Notes ausgeschaltet.</translation>
    </message>
    <message>
        <source>the asker&apos;s name (their full name, else their username)</source>
        <translation>der Name der fragenden Person (voller Name, sonst Benutzername)</translation>
    </message>
    <message>
        <source>the asker&apos;s username, e.g. for @{asker_username}</source>
        <translation>der Benutzername der fragenden Person, z. B. für @{asker_username}</translation>
    </message>
    <message>
        <source>the question&apos;s title</source>
        <translation>der Titel der Frage</translation>
    </message>
    <message>
        <source>a list of links to similar solved questions (up to 3)</source>
        <translation>eine Liste mit Links zu ähnlichen gelösten Fragen (bis zu 3)</translation>
    </message>
    <message>
        <source>your own username</source>
        <translation>Ihr eigener Benutzername</translation>
    </message>
    <message>
        <source>already reminded this week</source>
        <translation>diese Woche bereits erinnert</translation>
    </message>
    <message>
        <source>not waiting for an accepted answer</source>
        <translation>wartet nicht auf eine akzeptierte Lösung</translation>
    </message>
    <message>
        <source>same asker twice in the selection</source>
        <translation>gleicher Fragesteller zweimal in der Auswahl</translation>
    </message>
    <message>
        <source>already snoozed</source>
        <translation>bereits zurückgestellt</translation>
    </message>
    <message>
        <source>already closed</source>
        <translation>bereits geschlossen</translation>
    </message>
    <message>
        <source>a close is already queued</source>
        <translation>Schließen ist bereits eingereiht</translation>
    </message>
    <message>
        <source>not in the cache</source>
        <translation>nicht im Cache</translation>
    </message>
    <message>
        <source>action not offered for this item</source>
        <translation>Aktion für diesen Eintrag nicht angeboten</translation>
    </message>
    <message>
        <source>an action is already queued for it</source>
        <translation>dafür ist bereits eine Aktion eingereiht</translation>
    </message>
    <message>
        <source>already assigned to them</source>
        <translation>schon ihnen zugewiesen</translation>
    </message>
    <message>
        <source>an assignment is already queued</source>
        <translation>eine Zuweisung ist schon vorgemerkt</translation>
    </message>
</context>
</TS>

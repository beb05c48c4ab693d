<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Free software under the MIT licence, provided without warranty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triage, recognition and analytics for customer communities.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{version} on {system} {machine}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch what changed on the community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highlight the next question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highlight the previous one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the highlighted question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the full-width queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The question on the community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jump to the search box</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to the question list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Focus the table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the next reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the previous reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept / unaccept reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept the selected reply of the highlighted question (unaccept when accepted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response-time targets…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the {page} page</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AnalyticsSettingsDialog</name>
    <message>
        <source>No groups in the cache yet (sync to see them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups on this site (members): {list}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic groups: {list}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analytics settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who counts as an employee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers by employees are not peer-to-peer: this changes the peer-to-peer first responses and solutions, and who counts as a customer contributor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admins and moderators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members whose e-mail domain is an admin&apos;s or moderator&apos;s (free-mail domains never count)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also these e-mail domains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also these usernames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also members of these groups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>employees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One per line, e.g.
{example}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Groups on this site: loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket deflection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tickets deflected = views of the solved questions × the rate; support cost avoided = tickets deflected × the cost per ticket.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The currency shown with the cost figures, e.g. USD, EUR, €</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deflection rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>% of a solved question&apos;s views would otherwise have become a ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cost per ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shown with the savings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed months keep their frozen figures in reports; after saving, the dashboard offers to recompute them with these settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the settings: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not an e-mail domain (expected something like acme.com).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a username (letters, digits, _ . - only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the rate as a number of percent, e.g. 5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rate must be between 0 and 100 %.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the cost as a number, e.g. 25.00.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cost per ticket cannot be negative.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the currency, e.g. USD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in the cache (yet): {list}. Saved anyway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved: please correct the fields marked in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AwardDialog</name>
    <message>
        <source>Award a badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge}  ({tier}, several times)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge}  ({tier})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a post of theirs, or paste a link to one (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (kept in the audit log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue award</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a badge.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the member&apos;s username.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued: {action}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BadgesPage</name>
    <message>
        <source>Award…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulk award…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Badges&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holders</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n badge(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{n} can be awarded by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No description.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>awarded by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>awarded automatically by the forum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>can be held several times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>held once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usable as a title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the holder whose badge you want to revoke.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why revoke “{badge}” from @{user}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued: {action}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BulkAwardDialog</name>
    <message>
        <source>Bulk award</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge}  ({tier}, several times)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{badge}  ({tier})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a badge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The %n selected member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>A CSV with one username or e-mail per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alice
bob@acme.example
…  (paste here, or load a file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Link to the post or topic it is for (required for badges held several times)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (kept in the audit log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is queued until you confirm the preview.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queue awards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV of usernames or e-mails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv *.txt);;All (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the badge to award first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No badge can be awarded by hand on this community.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview for {badge}: {summary}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line {n}: “{text}” — {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Queue %n award(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Bulk award of “{badge}”: {n} queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulk award of “{badge}”: {parts}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CandidatesModel</name>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChartPanel</name>
    <message>
        <source>PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this chart as an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this chart&apos;s data as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{chart} — {period}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (last bar so far)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>week {week} of {year}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label} (so far)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <source>Members and contributors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active contributors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unanswered backlog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time to first response (hours)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>90th percentile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support health (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solution rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer-to-peer first responses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA attainment</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheatSheet</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Focus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next / previous control</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tab / Shift+Tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Navigation → filters → list → thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Single-letter keys work on the queue page, not while typing in a text field.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChoiceDialog</name>
    <message>
        <source>Note for the journal (optional), e.g. “handled by phone”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server&apos;s message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Granted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Helped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Likes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nominated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Component</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normalised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nominated by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Superuser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Months inactive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Superuser since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Posted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComingSoonPage</name>
    <message>
        <source>This page is coming soon.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>import customer accounts (CSV)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>import a survey (CSV)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs a staff key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 3 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 6 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 24 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This month so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer accounts (for the attach rate) and survey scores (CSAT, effort)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer accounts (CSV: name,domains)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Survey scores (CSV: date,csat,effort)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who counts as an employee, and the ticket-deflection assumptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept recomputed values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading charts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solution rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median first response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New topics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contributors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distinct members who posted there in the period (by category: periods up to 3 months).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breakdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a row, or click a chart, to open those questions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  (so far: the last bar is still running)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{period}{so_far}  ·  compared with {previous}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Employees: {employees}.  Figures marked “server” come from the site&apos;s admin reports. Hover a tile&apos;s ? for its definition.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n figure(s) of frozen month(s) {months} differ from a recomputation today (late replies, edits or deletions, or changed settings). Reports keep the frozen values.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Questions in {name}, {period}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (so far)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members active in {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unanswered questions asked in {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered questions asked in {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions asked in {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv *.txt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read {name}: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Survey answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what} from {name}: {summary}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save chart data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save monthly report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <source>d MMM HH:mm:ss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>d MMM HH:mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>d MMM yyyy HH:mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>d MMM yyyy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dd MMM yyyy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ddd dd MMM yyyy</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>{d}d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{d}d {h}h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{h}h {m}m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{h}h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{m}m</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n business day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n business day(s) {h}h</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Overdue by {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due in {time}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{app} ran into an unexpected problem. You can usually carry on working. If it happens again, please copy the details and include them in a bug report.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unexpected problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Figures</name>
    <message>
        <source>{value} %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{arrow} {times}× (from {base})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{arrow} {percent} (from {base})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title} (server-reported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Higher is better.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lower is better.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KpiTile</name>
    <message>
        <source> ·  server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous period: {value}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch what changed on the community (Ctrl+R)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System ({language})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{what}: the members list is not available with this key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Synced (%n request(s)).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Sync cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync {ago} ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln request(s) left this minute</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln today</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>paused {duration}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No request limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests the console still allows itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln pending action(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The community no longer accepts this key. Sign in again (File → Sign out).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberField</name>
    <message>
        <source>Username, name or e-mail…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MembersPage</name>
    <message>
        <source>new user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>basic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>regular</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>leader</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No accepted answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No posts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>staff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>joined {joined} · last post {last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;{posts}&lt;/b&gt; posts · &lt;b&gt;{solutions}&lt;/b&gt; accepted answers · groups: {groups}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search members by username, name or e-mail…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award badge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bulk award…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Members&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show recent members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing: {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n recently active</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Bulk award to {n}…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;{menu}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxPage</name>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone changed this on the community after you queued it. Retry checks again; Apply anyway replaces their change; Discard keeps theirs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The community needs a confirmation for this. Apply anyway confirms it; Discard drops it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The topic, post or member is gone from the community. Retry if it was restored; otherwise Discard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every action is saved here first, then sent to the community. Your decisions are kept in the journal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Push now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send every waiting action now (Ctrl+P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing here. Actions you take appear in this list until the community confirms them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an action to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the community again and send if it still applies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send it even though the community changed meanwhile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop this action (asks first; you can leave a note)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the journal of actions queued since this date as a CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions queued since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Journal</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n action(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>queued by @{who} on {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The community refused this action. Retry sends it again; Discard drops it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to be tried again (the community asked us to wait, or could not be reached). Retry sends it now; Discard drops it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to be sent. It goes with the next push or sync; Discard drops it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server&apos;s message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What will be sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What you saw when you queued it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action id {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard this action?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{action}” will not be sent. The journal keeps it, with your note.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{action}” will be sent even though the community changed after you queued it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applying anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done}: {action}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the journal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n action(s) to {path}.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reminders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Superusers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PostCard</name>
    <message>
        <source>staff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>badges: {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>asker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept as answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unaccept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Accepted answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to be sent to the community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved locally first, then sent when online (shortcut: a)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>SLA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{sla}: first response due {due} ({zone})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <source>The highlighted question is still loading; press a again once it shows.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <source>Open (unsolved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer from others</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any SLA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue or due soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save view…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the current filters and search as a named view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Views</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search questions and replies  ( / )</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all dates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>j / k move · Enter open · Esc close · n / p reply · a accept · F1 all keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All companies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>asked {start} – {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Showing questions {range}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name of this view:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln question(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecognitionModels</name>
    <message>
        <source>by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>granted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{component}: {points} points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RemindersPage</name>
    <message>
        <source>Reminded {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already reminded this week: the next reminder is possible from {day}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not reminded this week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Employee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reminders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message and timing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No question is waiting for its asker. Nice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a question.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reminder, as it will be posted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send nudge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post this reminder as a reply (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept reply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept the selected reply on the asker&apos;s behalf (A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide this question for a while (S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replies from others, newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{low} to {high} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) or more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) where others replied {window} ago but the asker has not accepted an answer. Remind them kindly (at most once a week), accept a reply for them, or snooze.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Asked by &lt;b&gt;@{asker}&lt;/b&gt; in {category} · first reply {first}, waiting &lt;b&gt;{days}&lt;/b&gt; · %n reply(ies) ({employees} from employees, {peers} from peers)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Reminder to @{asker} sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reminder to @{asker} queued; it is sent when the community can be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept this reply?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept @{author}&apos;s reply as the answer to “{title}” on @{asker}&apos;s behalf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted answer queued; it is sent when the community can be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Snoozed “{title}” for %n day(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Accept pending — will be sent when online</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Superuser programme settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight: {component}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recency counts for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review superusers inactive for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds (teammates&apos; likes on the nomination, never the nominator&apos;s) an approval needs; with fewer, approving is an override whose reason is kept in the audit journal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconds needed to approve</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInView</name>
    <message>
        <source>the site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{site} refused this key. Check that it was copied completely, that it was not revoked, and (for an admin key) that the username is right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{site} answered, but it does not look like a Discourse community. Check the address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not reach {site}. Check the address and your connection. ({reason})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in failed unexpectedly: {error}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in — {app}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to your community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The console keeps a local copy of your Discourse community and works on it offline. Your key is stored in the system keychain only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>https://community.example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow insecure http (the key travels unencrypted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authorize in the browser (recommended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the authorization page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After approving, paste the text the community shows (or the address)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1. Open the page and approve access.   2. Paste what the community shows below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admin API key (with a username)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your username on the community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paste the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the key for this session only (forget it when I quit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the demo community</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Community address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve access in the browser, then paste the text here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First open the authorization page and approve access.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No system keychain is available to keep the key safely. Tick “Keep the key for this session only” to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the connection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the demo community… (the first start builds it)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlaDialog</name>
    <message>
        <source>The clock runs from a question to the first reply by someone else, in working hours only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response-time targets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An IANA time zone name, such as Europe/Berlin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whose public holidays are days off (type to jump to a country)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regions whose public holidays differ from the country&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One date per line, e.g. 2026-12-24</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> business hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target (hours; blank = default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> % of the target left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working &amp;days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working &amp;hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time &amp;zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Public holidays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Extra days off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;First response within</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per &amp;category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“Due soon” fr&amp;om</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the targets: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whole country</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the extra days off below are holidays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n public holiday(s) in {year} for {place}.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Next: {dates}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{zone}” is not a known time zone (use a name like Europe/Berlin).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Extra day off line {n} (“{text}”) is not a date; write it as YYYY-MM-DD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The target for {category} must be a positive number of hours, or blank.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{zone}” is not a known time zone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one working day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The working day must end after it starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SuperusersPage</name>
    <message>
        <source>Leave the trust level as it is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust level 3 (regular)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust level 4 (leader)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+{n} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most-liked posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No posts in this window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Last %n month(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Nominate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Superusers&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Posts behind the score (post ids, newest first; click to open)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh from server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nominations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renewal review</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n candidate(s) · {excluded} members left out (staff, employees, current superusers, suspended)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Nominations ({n} open)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renewal review ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>score &lt;b&gt;{score}&lt;/b&gt;/100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve with override…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{have} of {need} required second(s): approving now is an override with a reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group, badge and an “Approved” reply, each queued in the outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nominate a superuser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why should @{user} become a superuser? Teammates second on this note; the score snapshot is attached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nomination of @{user} queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seconded the nomination of @{user}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve without the required seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The nomination of @{user} has {have} of the {need} second(s) it needs (from teammates other than @{nominator}).
Approving anyway is an override. Why? (kept in the audit journal and posted to the nomination)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve nomination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>@{user} joins the superusers group and gets the Superuser badge.
Also:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approval of @{user} queued (override of the required seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approval of @{user} queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline nomination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why is @{user} declined?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline of @{user} queued</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <source>Reminder message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Placeholders: {names}. A line marking it as a reminder is added at the end.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remind when no answer is accepted after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>but not after</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThreadPanel</name>
    <message>
        <source>Accepting answers goes through the offline outbox, which is not available in this build yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{when} · {ago} ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remote images are blocked; allow them for this session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Similar solved questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected question&apos;s link, to paste into a reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested experts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy @mention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a question in the queue and press Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>{category} · {state} · asked {when} · %n post(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No similar solved questions found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{solved} solved here · {open} open threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody has solved questions here recently.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <source>Conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>was already so</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the topic or post is gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changed on the server meanwhile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs your confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not allowed for this account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replaced by a later action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled out by a later action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replaced by a later action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled out by a later action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The topic or post is gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not allowed for this account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Was already so</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed on the server meanwhile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs your confirmation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{title}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a topic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>topic {id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept @{author}&apos;s reply in {where}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept reply #{n} in {where}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unaccept reply #{n} in {where}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remind @{asker} to accept an answer in {where}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply in {where}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close {where}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Like post {post} in topic {topic}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the topic {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Award “{badge}” to @{user}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revoke “{badge}” from @{user}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add @{user} to the group “{group}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove @{user} from the group “{group}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set @{user}&apos;s trust level to {level}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topic: {title} (#{id})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply: #{n} by @{author} (post {post})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply: #{n} (post {post})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member: @{user}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge: {badge} (can be awarded several times)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge: {badge}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group: {group}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust level: {level}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title: {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text: {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply anyway: yes (chosen after a conflict)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, no answer was accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, reply #{n} was accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, they held it (award #{award}, granted {when} UTC).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, they held it (award #{award}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, they were a member.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, they were not a member.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, their trust level was {level}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, they were suspended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, they were not suspended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, the topic had an accepted answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When queued, the topic had no accepted answer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discarded by @{who}: {note}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discarded by @{who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{state}: {resolution}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{state} (over a week)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{at} @{who}: {choice} — {note}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{at} @{who}: {choice}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due soon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the asker replied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Awaiting an employee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replied, unsolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reply yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change: against the same-length period just before. When that period had none (0), the change reads “new”. When it had a small count (under 20) or the value grew tenfold or more, the change reads as a multiple with the base shown, e.g. “▲ 3.5× (from 2)”, because a percentage of a tiny base (“▲ 21950 %”) says nothing. A period still running (so far) is compared with a previous period of the same length.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Growth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engagement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Company impact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logins and sessions (server-reported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Times are UTC. A post counts when it is a regular post (not a small action or whisper), not deleted, in a topic that is not deleted; hidden posts count. A question is a topic in a category that accepts solutions, opened by someone who is not an employee (see Settings → Employees).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts created in the period (employees included).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts created before the end of the period (employees included).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer companies with at least one member ÷ customer companies, at the end of the period. Customer companies are the accounts imported from CSV (Settings → Customer accounts). A member belongs to an account when their e-mail domain is one of its domains, or their company user field equals its name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New topics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Topics created in the period that are not deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New replies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counted posts other than the first post of their topic, created in the period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counted posts (first posts and replies) created in the period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active contributors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distinct members with at least one counted post (topic or reply) created in the period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active customer contributors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active contributors who are not employees.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monthly active contributors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active contributors ÷ members at the end of the period, in percent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Posts per active member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New posts ÷ active contributors in the period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Likes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Likes given in the period (the site&apos;s &apos;likes&apos; report: likes by the day they were given).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions created in the period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions answered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions asked in the period that have a response now. A response is a counted reply by someone other than the asker.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions solved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions asked in the period that have an accepted answer now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions asked in the period that have a response now ÷ questions asked, in percent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solution rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions asked in the period that have an accepted answer now ÷ questions asked, in percent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median time to first response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Over questions asked in the period that have a response: the median of (first response − question) wall-clock time; the first response is the earliest response (ties: lowest post number). With an even count, the mean of the two middle values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>90th percentile time to first response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nearest-rank 90th percentile (the ⌈0.9·n⌉-th smallest) of the same times as the median.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions with a first response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The n of the time-to-first-response figures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median time to solution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Over questions asked in the period that are solved: the median of (accepted answer posted − question) wall-clock time; the acceptance time itself is used when the site reports it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>90th percentile time to solution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nearest-rank 90th percentile of the same times as the median time to solution.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unanswered backlog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions without any response at the end of the period (asked at any time before it; closed or not). A question whose only other reply was deleted is unanswered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLA attainment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Of the questions asked in the period whose first-response clock has stopped or run out: the share answered within the target in business hours (Settings → SLA: working days, hours, time zone, holidays, per-category targets). Questions still within their target are left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer-to-peer first responses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Of the questions asked in the period that have a first response: the share whose first responder is not an employee.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer-to-peer solutions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Of the questions asked in the period that are solved: the share whose accepted answer was written by someone who is not an employee.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First responses by customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions asked in the period whose first responder is not an employee.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First responses by employees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions asked in the period whose first responder is an employee.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solutions by customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solved questions asked in the period whose accepted answer is by someone who is not an employee.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solutions by employees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solved questions asked in the period whose accepted answer is by an employee.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tickets deflected (estimate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Views of the solved questions asked in the period × the deflection rate (Settings → Impact; default 5 % of views would otherwise have become a support ticket). An estimate, not a count.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Support cost avoided (estimate)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tickets deflected × cost per ticket (Settings → Impact; default 25.00).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of survey answers in the period scoring 4 or 5 on the 1–5 satisfaction scale (imported survey CSV). Empty when no survey was imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer effort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean effort score (1 = very easy … 7 = very hard) of survey answers in the period (imported survey CSV).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solutions accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answers accepted as the solution in the period, by the day of acceptance (the site&apos;s &apos;accepted_solutions&apos; report).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily engaged users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average per day of the members who posted or liked that day (the site&apos;s &apos;daily_engaged_users&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DAU / MAU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average per day of daily visitors ÷ visitors of the preceding 30 days (the site&apos;s &apos;dau_by_mau&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member-days with a visit in the period (the site&apos;s &apos;visits&apos; report: one per member and day).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admins and moderators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>members sharing a staff e-mail domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e-mail domains {list}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>groups {list}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} named members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first}; {second}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>silver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bronze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>will be granted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>already holds it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>listed twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}” ({tier} badge)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} {outcome}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} malformed CSV line(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{first}, {second}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Accepted answer in “{title}” ({day})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 like</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} likes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Post #{n} in “{title}” ({day}, {likes})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No badge “{badge}” is known on this community, or it is disabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The badge “{badge}” is disabled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The badge “{badge}” is awarded automatically; it cannot be granted by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{badge}” can be awarded several times: give a reason link so each grant is tied to a post.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First responses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replies to others</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members helped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Likes received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Months active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Categories</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days since last post</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>outbox</name>
    <message>
        <source>Outbox: the local outbox could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>recognition</name>
    <message>
        <source>{page}: the local outbox could not be opened, so awards cannot be queued.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>reminders</name>
    <message>
        <source>Reminders: the local outbox could not be opened, so nudges cannot be queued.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BadgesPage</name>
    <message numerus="yes">
        <source>%n badge(s)</source>
        <translation>
            <numerusform>%n badge</numerusform>
            <numerusform>%n badges</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BulkAwardDialog</name>
    <message numerus="yes">
        <source>The %n selected member(s)</source>
        <translation>
            <numerusform>The %n selected member</numerusform>
            <numerusform>The %n selected members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queue %n award(s)</source>
        <translation>
            <numerusform>Queue %n award</numerusform>
            <numerusform>Queue %n awards</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BulkTexts</name>
    <message numerus="yes">
        <source>Nudge %n asker(s)?</source>
        <translation>
            <numerusform>Nudge %n asker?</numerusform>
            <numerusform>Nudge %n askers?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Snooze %n question(s) for {days} days?</source>
        <translation>
            <numerusform>Snooze %n question for {days} days?</numerusform>
            <numerusform>Snooze %n questions for {days} days?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Close %n topic(s)?</source>
        <translation>
            <numerusform>Close %n topic?</numerusform>
            <numerusform>Close %n topics?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>“{action}” for %n item(s)?</source>
        <translation>
            <numerusform>“{action}” for %n item?</numerusform>
            <numerusform>“{action}” for %n items?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{action} for %n item(s)?</source>
        <translation>
            <numerusform>{action} for %n item?</numerusform>
            <numerusform>{action} for %n items?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped: {reasons}.</source>
        <translation>
            <numerusform>%n skipped: {reasons}.</numerusform>
            <numerusform>%n skipped: {reasons}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Snoozed %n question(s).</source>
        <translation>
            <numerusform>Snoozed %n question.</numerusform>
            <numerusform>Snoozed %n questions.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued %n action(s); they are sent with the next push.</source>
        <translation>
            <numerusform>Queued %n action; they are sent with the next push.</numerusform>
            <numerusform>Queued %n actions; they are sent with the next push.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused (the state changed meanwhile).</source>
        <translation>
            <numerusform>%n refused (the state changed meanwhile).</numerusform>
            <numerusform>%n refused (the state changed meanwhile).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n selected</source>
        <translation>
            <numerusform>%n selected</numerusform>
            <numerusform>%n selected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CandidatesModel</name>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message numerus="yes">
        <source>%n figure(s) of frozen month(s) {months} differ from a recomputation today (late replies, edits or deletions, or changed settings). Reports keep the frozen values.</source>
        <translation>
            <numerusform>%n figure of frozen month(s) {months} differ from a recomputation today (late replies, edits or deletions, or changed settings). Reports keep the frozen values.</numerusform>
            <numerusform>%n figures of frozen month(s) {months} differ from a recomputation today (late replies, edits or deletions, or changed settings). Reports keep the frozen values.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message numerus="yes">
        <source>%n business day(s)</source>
        <translation>
            <numerusform>%n business day</numerusform>
            <numerusform>%n business days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n business day(s) {h}h</source>
        <translation>
            <numerusform>%n business day {h}h</numerusform>
            <numerusform>%n business days {h}h</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%Ln request(s) in this run</source>
        <translation>
            <numerusform>%Ln request in this run</numerusform>
            <numerusform>%Ln requests in this run</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln left today</source>
        <translation>
            <numerusform>%Ln left today</numerusform>
            <numerusform>%Ln left today</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Synced (%n request(s)).</source>
        <translation>
            <numerusform>Synced (%n request).</numerusform>
            <numerusform>Synced (%n requests).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting to be sent</source>
        <translation>
            <numerusform>%n action waiting to be sent</numerusform>
            <numerusform>%n actions waiting to be sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln request(s) left this minute</source>
        <translation>
            <numerusform>%Ln request left this minute</numerusform>
            <numerusform>%Ln requests left this minute</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln today</source>
        <translation>
            <numerusform>%Ln today</numerusform>
            <numerusform>%Ln today</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln pending action(s)</source>
        <translation>
            <numerusform>%Ln pending action</numerusform>
            <numerusform>%Ln pending actions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) waiting to be sent.</source>
        <translation>
            <numerusform>%n action waiting to be sent.</numerusform>
            <numerusform>%n actions waiting to be sent.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n needs you</source>
        <translation>
            <numerusform>%n needs you</numerusform>
            <numerusform>%n need you</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) wait for your decision</source>
        <translation>
            <numerusform>%n action wait for your decision</numerusform>
            <numerusform>%n actions wait for your decision</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n conflict</numerusform>
            <numerusform>%n conflicts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused action(s)</source>
        <translation>
            <numerusform>%n refused action</numerusform>
            <numerusform>%n refused actions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) due soon</source>
        <translation>
            <numerusform>%n question due soon</numerusform>
            <numerusform>%n questions due soon</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Queued: %n action(s) ({action} …)</source>
        <translation>
            <numerusform>Queued: %n action ({action} …)</numerusform>
            <numerusform>Queued: %n actions ({action} …)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) waiting for review</source>
        <translation>
            <numerusform>%n item waiting for review</numerusform>
            <numerusform>%n items waiting for review</numerusform>
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
            <numerusform>Since the last sync: %n new question</numerusform>
            <numerusform>Since the last sync: %n new questions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n topic(s) with new activity</source>
        <translation>
            <numerusform>%n topic with new activity</numerusform>
            <numerusform>%n topics with new activity</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n assignment change(s)</source>
        <translation>
            <numerusform>%n assignment change</numerusform>
            <numerusform>%n assignment changes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MembersPage</name>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n recently active</source>
        <translation>
            <numerusform>%n recently active</numerusform>
            <numerusform>%n recently active</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OutboxPage</name>
    <message numerus="yes">
        <source>%n action(s)</source>
        <translation>
            <numerusform>%n action</numerusform>
            <numerusform>%n actions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n action(s) to {path}.</source>
        <translation>
            <numerusform>Exported %n action to {path}.</numerusform>
            <numerusform>Exported %n actions to {path}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message numerus="yes">
        <source>%Ln question(s)</source>
        <translation>
            <numerusform>%Ln question</numerusform>
            <numerusform>%Ln questions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RemindersPage</name>
    <message numerus="yes">
        <source>%n day(s) or more</source>
        <translation>
            <numerusform>%n day or more</numerusform>
            <numerusform>%n days or more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n question(s) where others replied {window} ago but the asker has not accepted an answer. Remind them kindly (at most once a week), accept a reply for them, or snooze.</source>
        <translation>
            <numerusform>%n question where others replied {window} ago but the asker has not accepted an answer. Remind them kindly (at most once a week), accept a reply for them, or snooze.</numerusform>
            <numerusform>%n questions where others replied {window} ago but the asker has not accepted an answer. Remind them kindly (at most once a week), accept a reply for them, or snooze.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Asked by &lt;b&gt;@{asker}&lt;/b&gt; in {category} · first reply {first}, waiting &lt;b&gt;{days}&lt;/b&gt; · %n reply(ies) ({employees} from employees, {peers} from peers)</source>
        <translation>
            <numerusform>Asked by &lt;b&gt;@{asker}&lt;/b&gt; in {category} · first reply {first}, waiting &lt;b&gt;{days}&lt;/b&gt; · %n reply ({employees} from employees, {peers} from peers)</numerusform>
            <numerusform>Asked by &lt;b&gt;@{asker}&lt;/b&gt; in {category} · first reply {first}, waiting &lt;b&gt;{days}&lt;/b&gt; · %n replies ({employees} from employees, {peers} from peers)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Snoozed “{title}” for %n day(s).</source>
        <translation>
            <numerusform>Snoozed “{title}” for %n day.</numerusform>
            <numerusform>Snoozed “{title}” for %n days.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message numerus="yes">
        <source>%n item(s) waiting</source>
        <translation>
            <numerusform>%n item waiting</numerusform>
            <numerusform>%n items waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SlaDialog</name>
    <message numerus="yes">
        <source>%n public holiday(s) in {year} for {place}.</source>
        <translation>
            <numerusform>%n public holiday in {year} for {place}.</numerusform>
            <numerusform>%n public holidays in {year} for {place}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SuperusersPage</name>
    <message numerus="yes">
        <source>Last %n month(s)</source>
        <translation>
            <numerusform>Last %n month</numerusform>
            <numerusform>Last %n months</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n candidate(s) · {excluded} members left out (staff, employees, current superusers, suspended)</source>
        <translation>
            <numerusform>%n candidate · {excluded} members left out (staff, employees, current superusers, suspended)</numerusform>
            <numerusform>%n candidates · {excluded} members left out (staff, employees, current superusers, suspended)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ThreadPanel</name>
    <message numerus="yes">
        <source>Solved · %n accepted answer(s)</source>
        <translation>
            <numerusform>Solved · %n accepted answer</numerusform>
            <numerusform>Solved · %n accepted answers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{category} · {state} · asked {when} · %n post(s)</source>
        <translation>
            <numerusform>{category} · {state} · asked {when} · %n post</numerusform>
            <numerusform>{category} · {state} · asked {when} · %n posts</numerusform>
        </translation>
    </message>
</context>
</TS>

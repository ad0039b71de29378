//! Rows ⇄ domain values: the only module that sees both sea-orm entities and domain types.
//!
//! Everything that turns a domain value into a row, a row into a domain value, or a domain
//! filter into a SQL condition lives here, so the representation rules are in one place:
//! ids are native UUIDs; enumerations are their stable snake_case keys
//! ([`Labelled::key`]); instants are fixed-width RFC 3339 text with nanoseconds ([`ts`]);
//! days are native dates; JSON documents are text.

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeDelta, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, prelude::Uuid};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wegbereiter_core::CaseStatus;
use wegbereiter_core::case::{Case, CaseSummary};
use wegbereiter_core::command::Policy;
use wegbereiter_core::esf::{EsfParticipant, EsfScope};
use wegbereiter_core::event::RecordedEvent;
use wegbereiter_core::handover::{Attendance, GroupSession};
use wegbereiter_core::ids::{CaseId, GroupSessionId, ServiceId, StaffId, TeamId};
use wegbereiter_core::ports::{
    AccessEntry, AccessKind, AuditStamp, CaseFilter, StorageError, Visibility,
};
use wegbereiter_core::referral::ClientIdentity;
use wegbereiter_core::services::{ServiceDetails, SpecialistService};
use wegbereiter_core::staff::{Role, StaffMember, Team};
use wegbereiter_core::text::Text;
use wegbereiter_core::vocab::Labelled;

use crate::entity::{
    access_log, audit_log, case_attendance, case_clients, case_esf, case_name_words,
    case_reminder_facts, case_reminder_triggers, case_statistics, cases, events, group_sessions,
    services, staff, staff_teams, teams,
};
use crate::error::corrupt;
use crate::{AccessRecord, AuditRecord};

// ---------------------------------------------------------------------------------------
// Scalars

/// An instant as stored: RFC 3339 in UTC with exactly nine fraction digits, so that text
/// order is time order and the value round-trips exactly on both backends.
pub(crate) fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// The installation's time zone from its settings row.
pub(crate) fn time_zone_from_row(
    row: &crate::entity::installation_settings::Model,
) -> Result<crate::StoredTimeZone, StorageError> {
    let zone = row
        .value
        .parse::<chrono_tz::Tz>()
        .map_err(|e| corrupt(format!("stored time zone {:?}: {e}", row.value)))?;
    Ok(crate::StoredTimeZone {
        zone,
        changed_at: parse_ts(&row.changed_at)?,
    })
}

/// Reads an instant written by [`ts`].
pub(crate) fn parse_ts(text: &str) -> Result<DateTime<Utc>, StorageError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(format!("stored instant {text:?}: {e}")))
}

/// A vocabulary value from its stored key (exact match, unlike the lenient `from_key`).
fn key_of<T: Labelled>(key: &str, what: &str) -> Result<T, StorageError> {
    T::ALL
        .iter()
        .copied()
        .find(|v| v.key() == key)
        .ok_or_else(|| corrupt(format!("unknown {what} {key:?}")))
}

fn text(value: String, what: &str) -> Result<Text, StorageError> {
    Text::parse(value).map_err(|e| corrupt(format!("{what}: {e}")))
}

fn u64_of(value: i64, what: &str) -> Result<u64, StorageError> {
    u64::try_from(value).map_err(|_| corrupt(format!("negative {what} {value}")))
}

/// A domain value as compact JSON text.
pub(crate) fn to_json<T: Serialize>(value: &T, what: &str) -> Result<String, StorageError> {
    serde_json::to_string(value)
        .map_err(|e| StorageError::Backend(format!("cannot serialise {what}: {e}")))
}

fn from_json<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, StorageError> {
    serde_json::from_str(json).map_err(|e| corrupt(format!("{what}: {e}")))
}

/// The stable key of a serde enum that is not a vocabulary (e.g. [`AccessKind`]).
fn serde_key<T: Serialize>(value: &T) -> Result<String, StorageError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(other) => Err(StorageError::Backend(format!(
            "expected a string key, got {other}"
        ))),
        Err(e) => Err(StorageError::Backend(e.to_string())),
    }
}

fn from_serde_key<T: DeserializeOwned>(key: &str, what: &str) -> Result<T, StorageError> {
    serde_json::from_value(serde_json::Value::String(key.to_owned()))
        .map_err(|_| corrupt(format!("unknown {what} {key:?}")))
}

// ---------------------------------------------------------------------------------------
// Events

/// The canonical JSON of an event: what is stored in `events.payload` and hashed.
pub(crate) fn event_payload(event: &RecordedEvent) -> Result<String, StorageError> {
    to_json(event, "event")
}

/// The row of an event whose payload and hashes were computed by the caller.
pub(crate) fn event_row(
    event: &RecordedEvent,
    payload: String,
    prev_hash: String,
    hash: String,
) -> Result<events::ActiveModel, StorageError> {
    Ok(events::ActiveModel {
        case_id: Set(event.case_id.as_uuid()),
        sequence: Set(i64::try_from(event.sequence)
            .map_err(|_| StorageError::Backend("sequence number out of range".into()))?),
        event_type: Set(event.event.tag().to_owned()),
        payload: Set(payload),
        recorded_at: Set(ts(event.recorded_at)),
        actor: Set(event.actor.as_uuid()),
        prev_hash: Set(prev_hash),
        hash: Set(hash),
    })
}

/// The event stored in a row whose payload, opened (or blinded, see `vault`), is `payload`.
/// The error says why the row is not a sound event: the payload does not parse, or a column
/// disagrees with the payload.
pub(crate) fn event_from_stored(
    row: &events::Model,
    payload: &str,
) -> Result<RecordedEvent, String> {
    let event: RecordedEvent =
        serde_json::from_str(payload).map_err(|e| format!("payload is not a valid event: {e}"))?;
    let disagrees = |column: &str| format!("column {column} disagrees with the payload");
    if event.case_id.as_uuid() != row.case_id {
        return Err(disagrees("case_id"));
    }
    if i64::try_from(event.sequence).ok() != Some(row.sequence) {
        return Err(disagrees("sequence"));
    }
    if event.event.tag() != row.event_type {
        return Err(disagrees("event_type"));
    }
    if event.actor.as_uuid() != row.actor {
        return Err(disagrees("actor"));
    }
    if ts(event.recorded_at) != row.recorded_at {
        return Err(disagrees("recorded_at"));
    }
    Ok(event)
}

// ---------------------------------------------------------------------------------------
// Case read models

/// The `cases` row of a case: list columns, the state as JSON and the head of its chain.
pub(crate) fn case_row(case: &Case, head_hash: &str) -> Result<cases::ActiveModel, StorageError> {
    let s = case.summary();
    Ok(cases::ActiveModel {
        id: Set(s.id.as_uuid()),
        version: Set(i64::try_from(s.version)
            .map_err(|_| StorageError::Backend("version out of range".into()))?),
        status: Set(s.status.key().to_owned()),
        phase: Set(s.phase.map(|p| p.key().to_owned())),
        team_id: Set(s.team.map(|t| t.as_uuid())),
        key_worker_id: Set(s.key_worker.map(|k| k.as_uuid())),
        client_name_lower: Set(s.client_name.to_lowercase()),
        client_name: Set(s.client_name),
        date_of_birth: Set(s.date_of_birth),
        postcode: Set(s.postcode),
        referral_date: Set(s.referral_date),
        jobcenter: Set(s.jobcenter),
        planned_end: Set(s.planned_end),
        ended_on: Set(s.ended_on),
        received_at: Set(ts(case.received_at)),
        last_changed_at: Set(ts(s.last_changed_at)),
        head_hash: Set(head_hash.to_owned()),
        restricted: Set(s.restricted),
        state: Set(to_json(
            &StateOut {
                format: STATE_FORMAT,
                case,
            },
            "case state",
        )?),
    })
}

/// The summary stored in a `cases` row.
pub(crate) fn summary_from_row(row: &cases::Summary) -> Result<CaseSummary, StorageError> {
    Ok(CaseSummary {
        id: CaseId::from_uuid(row.id),
        version: u64_of(row.version, "version")?,
        status: key_of(&row.status, "case status")?,
        phase: row
            .phase
            .as_deref()
            .map(|p| key_of(p, "phase"))
            .transpose()?,
        team: row.team_id.map(TeamId::from_uuid),
        key_worker: row.key_worker_id.map(StaffId::from_uuid),
        client_name: row.client_name.clone(),
        date_of_birth: row.date_of_birth,
        postcode: row.postcode.clone(),
        referral_date: row.referral_date,
        jobcenter: row.jobcenter.clone(),
        planned_end: row.planned_end,
        ended_on: row.ended_on,
        last_changed_at: parse_ts(&row.last_changed_at)?,
        restricted: row.restricted,
        former_readers: Vec::new(),
    })
}

/// The version of the case snapshot in `cases.state`. Bump it whenever `Case` gains a field
/// that an older snapshot would fill wrongly when read (a missing `Option` reads as `None`,
/// e.g. `declined_on` of a case declined before the field existed): older snapshots are then
/// replayed from the history instead of trusted, and rewritten with the next change.
const STATE_FORMAT: u32 = 3;

/// A snapshot as written.
#[derive(serde::Serialize)]
struct StateOut<'a> {
    format: u32,
    case: &'a Case,
}

/// A snapshot as read.
#[derive(serde::Deserialize)]
struct StateIn {
    format: u32,
    case: Case,
}

/// The case state stored in a `cases` row, if it parses, is of the current snapshot format
/// and of the row's version. `None` means "replay the history instead".
pub(crate) fn case_from_state(row: &cases::Model, opened: &str) -> Option<Case> {
    let state: StateIn = serde_json::from_str(opened).ok()?;
    let case = state.case;
    (state.format == STATE_FORMAT
        && case.id.as_uuid() == row.id
        && i64::try_from(case.version).ok() == Some(row.version))
    .then_some(case)
}

/// The `case_clients` row of a case.
pub(crate) fn client_row(case: &Case) -> case_clients::ActiveModel {
    let client = &case.referral.client;
    case_clients::ActiveModel {
        case_id: Set(case.id.as_uuid()),
        name_key: Set(wegbereiter_core::referral::name_key(client)),
        date_of_birth: Set(client.date_of_birth),
        postcode: Set(client
            .address
            .as_ref()
            .map(|a| a.postcode.as_str().to_owned())),
        case_number: Set(case.id.case_number_key()),
    }
}

/// Which `case_clients` rows may be the same person as `client`; `None` if none can be
/// (without date of birth and postcode, the domain never reports a match).
pub(crate) fn duplicate_condition(client: &ClientIdentity) -> Option<Condition> {
    let mut either = Condition::any();
    let mut any = false;
    if let Some(dob) = client.date_of_birth {
        either = either.add(case_clients::Column::DateOfBirth.eq(dob));
        any = true;
    }
    if let Some(address) = &client.address {
        either = either.add(case_clients::Column::Postcode.eq(address.postcode.as_str()));
        any = true;
    }
    any.then(|| {
        Condition::all()
            .add(case_clients::Column::NameKey.eq(wegbereiter_core::referral::name_key(client)))
            .add(either)
    })
}

/// The `case_attendance` rows of a case.
pub(crate) fn attendance_rows(case: &Case) -> Vec<case_attendance::ActiveModel> {
    case.attendance
        .iter()
        .map(|a| case_attendance::ActiveModel {
            case_id: Set(case.id.as_uuid()),
            session_id: Set(a.session.as_uuid()),
            date: Set(a.date),
            kind: Set(a.kind.key().to_owned()),
            attendance: Set(a.attendance.key().to_owned()),
        })
        .collect()
}

/// One line of an attendance sheet.
pub(crate) fn attendance_from_row(
    row: &case_attendance::Model,
) -> Result<(CaseId, Attendance), StorageError> {
    Ok((
        CaseId::from_uuid(row.case_id),
        key_of(&row.attendance, "attendance")?,
    ))
}

/// The id of a group session as stored.
pub(crate) fn session_uuid(id: GroupSessionId) -> Uuid {
    id.as_uuid()
}

/// The `case_name_words` rows of a case: each folded word of the client's name once.
pub(crate) fn name_word_rows(case: &Case) -> Vec<case_name_words::ActiveModel> {
    wegbereiter_core::ports::name_words(&case.summary().client_name)
        .into_iter()
        .map(|word| case_name_words::ActiveModel {
            word: Set(word),
            case_id: Set(case.id.as_uuid()),
        })
        .collect()
}

/// The cases with a name word that begins with `prefix`: a range of the primary key of
/// `case_name_words` (byte order on both backends).
fn name_word_cases(prefix: &str) -> sea_orm::sea_query::SelectStatement {
    use case_name_words::Column as W;
    let mut upper = prefix.to_owned();
    // Every word that begins with `prefix` sorts before `prefix` followed by the greatest
    // character (a word holding that character itself is not a name).
    upper.push(char::MAX);
    sea_orm::sea_query::Query::select()
        .column(W::CaseId)
        .from(case_name_words::Entity)
        .and_where(W::Word.gte(prefix))
        .and_where(W::Word.lt(upper))
        .to_owned()
}

/// The `case_esf` row of a case: one for a participant's case (enrolled, in one of core's
/// [`PARTICIPANT_STATUSES`](wegbereiter_core::esf::PARTICIPANT_STATUSES)), none otherwise.
pub(crate) fn esf_rows(case: &Case) -> Result<Vec<case_esf::ActiveModel>, StorageError> {
    if !wegbereiter_core::esf::PARTICIPANT_STATUSES.contains(&case.status) {
        return Ok(Vec::new());
    }
    let Some(participant) = EsfParticipant::of(case) else {
        return Ok(Vec::new());
    };
    Ok(vec![case_esf::ActiveModel {
        case_id: Set(case.id.as_uuid()),
        team_id: Set(case.team.map(|t| t.as_uuid())),
        key_worker_id: Set(case.key_worker.map(|k| k.as_uuid())),
        entered_on: Set(participant.entered_on),
        left_on: Set(participant.left_on()),
        participant: Set(to_json(&participant, "ESF participant")?),
    }])
}

/// The `case_statistics` row of a case: core's `StatisticsFacts` with the days they span.
pub(crate) fn statistics_row(case: &Case) -> Result<case_statistics::ActiveModel, StorageError> {
    let facts = wegbereiter_core::statistics::StatisticsFacts::of(case);
    Ok(case_statistics::ActiveModel {
        case_id: Set(case.id.as_uuid()),
        team_id: Set(case.team.map(|t| t.as_uuid())),
        referred_on: Set(facts.referred_on),
        last_day: Set(facts.last_day()),
        facts: Set(to_json(&facts, "statistics facts")?),
    })
}

/// The facts stored in a `case_statistics` row.
pub(crate) fn statistics_facts_from_json(
    case_id: Uuid,
    json: &str,
) -> Result<wegbereiter_core::statistics::StatisticsFacts, StorageError> {
    from_json(json, &format!("statistics facts of case {case_id}"))
}

/// The `case_statistics` rows that can contribute to statistics of `from..=to` in `scope`:
/// those whose facts span a day of the period, of the scope's team or of every case.
pub(crate) fn statistics_condition(from: NaiveDate, to: NaiveDate, scope: EsfScope) -> Condition {
    use case_statistics::Column as C;
    let period = Condition::all()
        .add(C::ReferredOn.lte(to))
        .add(C::LastDay.gte(from));
    match scope {
        EsfScope::All => period,
        EsfScope::Team(team) => period.add(C::TeamId.eq(team.as_uuid())),
    }
}

/// The participant stored in a `case_esf` row.
/// The `case_reminder_facts` row of a case: core's `ReminderFacts` and the client's name.
pub(crate) fn reminder_facts_row(
    case: &Case,
) -> Result<case_reminder_facts::ActiveModel, StorageError> {
    Ok(case_reminder_facts::ActiveModel {
        case_id: Set(case.id.as_uuid()),
        client_name: Set(case.referral.client.sort_name()),
        facts: Set(to_json(
            &wegbereiter_core::ReminderFacts::of(case),
            "reminder facts",
        )?),
    })
}

/// Core's `ReminderFacts` of case `case_id` from its stored JSON.
pub(crate) fn reminder_facts_from_json(
    case_id: Uuid,
    json: &str,
) -> Result<wegbereiter_core::ReminderFacts, StorageError> {
    from_json(json, &format!("reminder facts of case {case_id}"))
}

pub(crate) fn esf_participant_from_json(
    case_id: Uuid,
    json: &str,
) -> Result<EsfParticipant, StorageError> {
    from_json(json, &format!("ESF participant of case {case_id}"))
}

/// The `case_esf` rows that can count in a report of `from..=to` in `scope`: entered or left
/// in the period (core's `esf_report_of` decides), of the scope's team or of every case.
pub(crate) fn esf_condition(from: NaiveDate, to: NaiveDate, scope: EsfScope) -> Condition {
    use case_esf::Column as C;
    let period = Condition::any()
        .add(C::EnteredOn.between(from, to))
        .add(C::LeftOn.between(from, to));
    match scope {
        EsfScope::All => Condition::all().add(period),
        EsfScope::Team(team) => Condition::all()
            .add(period)
            .add(C::TeamId.eq(team.as_uuid())),
    }
}

// Reminder triggers. `wegbereiter_core::reminders` decides; the triggers only find the
// cases worth asking. Each trigger row holds a day from which one kind of reminder can be
// due, so that for a given `today` and policy one indexed range per kind finds a superset of
// the cases with reminders. The integration tests compare the result with
// `wegbereiter_core::reminders` over every case for many days and policies.
const TRIGGER_OUTREACH: &str = "outreach";
const TRIGGER_OUTREACH_ACTIVITY: &str = "outreach_activity";
const TRIGGER_OUTREACH_WINDOW: &str = "outreach_window";
const TRIGGER_OUTREACH_END: &str = "outreach_end";
const TRIGGER_PERIOD_END: &str = "period_end";
const TRIGGER_GOAL_REVIEW: &str = "goal_review";
const TRIGGER_NO_CONTACT: &str = "no_contact";
const TRIGGER_ESF_MISSING: &str = "esf_missing";
const TRIGGER_ESF_EXIT: &str = "esf_exit";
const TRIGGER_REFERRAL_STALE: &str = "referral_stale";
const WHOLE_CASE: &str = "case";

/// The `case_reminder_triggers` rows of a case.
pub(crate) fn trigger_rows(case: &Case) -> Vec<case_reminder_triggers::ActiveModel> {
    let row = |kind: &str, subject: String, base: NaiveDate| case_reminder_triggers::ActiveModel {
        case_id: Set(case.id.as_uuid()),
        kind: Set(kind.to_owned()),
        subject: Set(subject),
        base_date: Set(base),
        key_worker_id: Set(case.key_worker.map(|k| k.as_uuid())),
        team_id: Set(case.team.map(|t| t.as_uuid())),
    };
    let mut rows = Vec::new();
    match case.status {
        // Outreach reminders depend on counts, letters and attempts (the end rule can be met
        // on any day); every case in outreach is asked. Its rows hold core's lower bounds of
        // the follow-up's day (`OutreachFacts::due_from`), so a page of reminders reads the
        // cases in the order their reminders can fall on.
        CaseStatus::Referred | CaseStatus::Outreach => {
            use wegbereiter_core::reminders::DueFrom;
            for (from, base) in wegbereiter_core::reminders::OutreachFacts::of(case).due_from() {
                let kind = match from {
                    DueFrom::OutreachActivity => TRIGGER_OUTREACH_ACTIVITY,
                    DueFrom::OutreachWindow => TRIGGER_OUTREACH_WINDOW,
                    DueFrom::OutreachEnd => TRIGGER_OUTREACH_END,
                    _ => TRIGGER_OUTREACH,
                };
                rows.push(row(kind, WHOLE_CASE.into(), base));
            }
        }
        CaseStatus::Enrolled => {
            if let Some(period) = &case.period {
                rows.push(row(
                    TRIGGER_PERIOD_END,
                    WHOLE_CASE.into(),
                    period.planned_end(),
                ));
            }
            for goal in case.goals.iter().filter(|g| g.status.is_active()) {
                rows.push(row(
                    TRIGGER_GOAL_REVIEW,
                    goal.id.to_string(),
                    goal.review_date,
                ));
            }
            if let Some(enrolled_on) = case.enrolment.as_ref().map(|e| e.on) {
                let since = case
                    .last_contact_on()
                    .unwrap_or(enrolled_on)
                    .max(enrolled_on);
                rows.push(row(TRIGGER_NO_CONTACT, WHOLE_CASE.into(), since));
                if case.esf_entry.is_none() {
                    rows.push(row(TRIGGER_ESF_MISSING, WHOLE_CASE.into(), enrolled_on));
                }
            }
            for r in case.referrals_out.iter().filter(|r| !r.status.is_final()) {
                rows.push(row(
                    TRIGGER_REFERRAL_STALE,
                    r.id.to_string(),
                    r.status_since,
                ));
            }
        }
        // A participant's exit data are due after exit: from the day of exit.
        CaseStatus::Closed => {
            if case.enrolment.is_some()
                && let Some(closure) = case
                    .closure
                    .as_ref()
                    .filter(|c| c.immediate_result.is_none())
            {
                rows.push(row(TRIGGER_ESF_EXIT, WHOLE_CASE.into(), closure.closed_on));
            }
        }
        // Other ended cases have no reminders; the status is non-exhaustive, so unknown
        // future statuses are asked rather than missed.
        CaseStatus::Declined | CaseStatus::NotReached => {}
        _ => rows.push(row(
            TRIGGER_OUTREACH,
            WHOLE_CASE.into(),
            case.referral.referral_date,
        )),
    }
    rows
}

/// Core's [`wegbereiter_core::reminders::DueFrom`] of a stored trigger kind (the rule of what
/// a trigger day bounds lives in core, `case_due_lower_bound`; storage only maps its stored
/// kind names). Reading candidates in the order of that bound lets a page of reminders, most
/// urgent first, stop loading cases early.
pub(crate) fn due_from(kind: &str) -> wegbereiter_core::reminders::DueFrom {
    use wegbereiter_core::reminders::DueFrom;
    match kind {
        TRIGGER_PERIOD_END => DueFrom::PeriodEnd,
        TRIGGER_GOAL_REVIEW => DueFrom::GoalReview,
        TRIGGER_NO_CONTACT => DueFrom::NoContact,
        TRIGGER_ESF_MISSING => DueFrom::EsfMissing,
        TRIGGER_ESF_EXIT => DueFrom::EsfExit,
        TRIGGER_REFERRAL_STALE => DueFrom::ReferralStale,
        TRIGGER_OUTREACH_ACTIVITY => DueFrom::OutreachActivity,
        TRIGGER_OUTREACH_WINDOW => DueFrom::OutreachWindow,
        TRIGGER_OUTREACH_END => DueFrom::OutreachEnd,
        // Outreach (and any kind this version does not know): as early as it can be.
        _ => DueFrom::Outreach,
    }
}

/// `today` shifted by `days`, or `None` when every stored day must count (the shift leaves
/// the years 1–9999, where text comparison on SQLite would no longer be date order).
fn cutoff(today: NaiveDate, days: i64) -> Option<NaiveDate> {
    use chrono::Datelike;
    today
        .checked_add_signed(TimeDelta::try_days(days)?)
        .filter(|d| (1..=9999).contains(&d.year()))
}

/// The trigger rows that may have a reminder on `today` under `policy`.
pub(crate) fn trigger_condition(
    today: NaiveDate,
    policy: &Policy,
    key_worker: Option<StaffId>,
) -> Condition {
    use case_reminder_triggers::Column as C;
    let days = |d: u32| i64::from(d);
    let kinds: [(&str, Option<i64>); 10] = [
        (TRIGGER_OUTREACH, None),
        (TRIGGER_OUTREACH_END, None),
        (TRIGGER_OUTREACH_ACTIVITY, None),
        (TRIGGER_OUTREACH_WINDOW, None),
        (
            TRIGGER_PERIOD_END,
            Some(days(policy.period_end_warning_days)),
        ),
        (TRIGGER_GOAL_REVIEW, Some(0)),
        (TRIGGER_NO_CONTACT, Some(-days(policy.no_contact_days))),
        (
            TRIGGER_ESF_MISSING,
            Some(days(policy.esf_entry_warning_days) - days(policy.esf_entry_due_days)),
        ),
        (
            TRIGGER_REFERRAL_STALE,
            Some(-days(policy.referral_out_stale_days)),
        ),
        (
            TRIGGER_ESF_EXIT,
            Some(days(policy.esf_entry_warning_days) - days(policy.esf_exit_due_days)),
        ),
    ];
    let mut any = Condition::any();
    for (kind, shift) in kinds {
        let mut term = Condition::all().add(C::Kind.eq(kind));
        if let Some(limit) = shift.and_then(|s| cutoff(today, s)) {
            term = term.add(C::BaseDate.lte(limit));
        }
        any = any.add(term);
    }
    let mut all = Condition::all().add(any);
    if let Some(k) = key_worker {
        all = all.add(C::KeyWorkerId.eq(k.as_uuid()));
    }
    all
}

/// The trigger rows of the cases `scope` names that `reader` may know of (without the day
/// condition, see [`trigger_condition`]).
pub(crate) fn trigger_scope_condition(
    scope: &crate::ReminderScope,
    reader: Option<&Visibility>,
) -> Condition {
    use case_reminder_triggers::Column as C;
    let teams_of = |teams: &[TeamId]| -> Vec<Uuid> { teams.iter().map(|t| t.as_uuid()).collect() };
    let mut all = Condition::all();
    if let crate::ReminderScope::Person { staff, teams } = scope {
        let mut whose = Condition::any().add(C::KeyWorkerId.eq(staff.as_uuid()));
        if !teams.is_empty() {
            whose = whose.add(
                Condition::all()
                    .add(C::KeyWorkerId.is_null())
                    .add(C::TeamId.is_in(teams_of(teams))),
            );
        }
        all = all.add(whose);
    }
    if let Some(v) = reader {
        let mut visible = Condition::any().add(C::KeyWorkerId.eq(v.staff.as_uuid()));
        if !v.teams.is_empty() {
            visible = visible.add(C::TeamId.is_in(teams_of(&v.teams)));
        }
        all = all.add(visible);
    }
    all
}

/// The `period_end` trigger rows of `team` for which core's `reminders()` names the period end
/// on `today`: the same range [`trigger_condition`] asks for that kind (a rule mirrored from
/// core, see `docs/ARCHITECTURE.md`).
pub(crate) fn period_ending_condition(
    team: TeamId,
    today: NaiveDate,
    policy: &Policy,
) -> Condition {
    use case_reminder_triggers::Column as C;
    let mut cond = Condition::all()
        .add(C::TeamId.eq(team.as_uuid()))
        .add(C::Kind.eq(TRIGGER_PERIOD_END));
    if let Some(limit) = cutoff(today, i64::from(policy.period_end_warning_days)) {
        cond = cond.add(C::BaseDate.lte(limit));
    }
    cond
}

/// One grouped row of a team's caseload.
pub(crate) fn load_count(
    key_worker: Option<Uuid>,
    status: &str,
    phase: Option<&str>,
    cases: i64,
) -> Result<crate::LoadCount, StorageError> {
    Ok(crate::LoadCount {
        key_worker: key_worker.map(StaffId::from_uuid),
        status: key_of(status, "case status")?,
        phase: phase.map(|p| key_of(p, "phase")).transpose()?,
        cases: u64_of(cases, "count")?,
    })
}

/// The SQL condition of a case list filter.
pub(crate) fn case_filter_condition(filter: &CaseFilter) -> Condition {
    // A restricted case (Art. 18 GDPR) is in no list and no search.
    let mut cond = Condition::all().add(cases::Column::Restricted.eq(false));
    if let Some(status) = filter.status {
        cond = cond.add(cases::Column::Status.eq(status.key()));
    }
    if let Some(k) = filter.key_worker {
        cond = cond.add(cases::Column::KeyWorkerId.eq(k.as_uuid()));
    }
    if let Some(t) = filter.team {
        cond = cond.add(cases::Column::TeamId.eq(t.as_uuid()));
    }
    if let Some(v) = &filter.visible_to {
        let teams: Vec<Uuid> = v.teams.iter().map(|t| t.as_uuid()).collect();
        let mut visible = Condition::any().add(cases::Column::KeyWorkerId.eq(v.staff.as_uuid()));
        if !teams.is_empty() {
            visible = visible.add(cases::Column::TeamId.is_in(teams));
        }
        cond = cond.add(visible);
    }
    if filter.open_only {
        let ended = CaseStatus::ALL
            .iter()
            .filter(|s| s.is_ended())
            .map(|s| s.key());
        cond = cond.add(cases::Column::Status.is_not_in(ended));
    }
    if filter.unassigned {
        cond = cond.add(cases::Column::KeyWorkerId.is_null());
    }
    if let Some(text) = &filter.name_contains {
        for word in wegbereiter_core::ports::name_words(text) {
            cond = cond.add(cases::Column::Id.in_subquery(name_word_cases(&word)));
        }
    }
    if let Some(day) = filter.born_on {
        cond = cond.add(
            cases::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(case_clients::Column::CaseId)
                    .from(case_clients::Entity)
                    .and_where(case_clients::Column::DateOfBirth.eq(day))
                    .to_owned(),
            ),
        );
    }
    if let Some(number) = &filter.case_number {
        // A range of `ix_case_clients_case_number`: every number that begins with `number`.
        let mut upper = number.clone();
        upper.push(char::MAX);
        cond = cond.add(
            cases::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(case_clients::Column::CaseId)
                    .from(case_clients::Entity)
                    .and_where(case_clients::Column::CaseNumber.gte(number.as_str()))
                    .and_where(case_clients::Column::CaseNumber.lt(upper))
                    .to_owned(),
            ),
        );
    }
    cond
}

/// The rank of a case in a name search, as core's `CaseFilter::rank`: 0 when every word of
/// the search is a whole name word of the case (one lookup of the primary key of
/// `case_name_words` per word), else 1.
pub(crate) fn search_rank(filter: &CaseFilter) -> Option<sea_orm::sea_query::Expr> {
    use sea_orm::sea_query::{Expr, Query};
    let words = wegbereiter_core::ports::name_words(filter.name_contains.as_deref()?);
    if words.is_empty() {
        return None;
    }
    let mut exact = Condition::all();
    for word in words {
        exact = exact.add(
            cases::Column::Id.in_subquery(
                Query::select()
                    .column(case_name_words::Column::CaseId)
                    .from(case_name_words::Entity)
                    .and_where(case_name_words::Column::Word.eq(word))
                    .to_owned(),
            ),
        );
    }
    Some(Expr::case(exact, 0).finally(1).into())
}

// ---------------------------------------------------------------------------------------
// Staff and teams

/// The case-folded sign-in name that must be unique.
pub(crate) fn login_key(login: &str) -> String {
    login.trim().to_lowercase()
}

/// The `staff` row of a staff member.
pub(crate) fn staff_row(member: &StaffMember) -> Result<staff::ActiveModel, StorageError> {
    let roles: Vec<&str> = member.roles.iter().map(|r| r.key()).collect();
    Ok(staff::ActiveModel {
        id: Set(member.id.as_uuid()),
        login: Set(member.login.as_str().to_owned()),
        login_key: Set(login_key(member.login.as_str())),
        display_name: Set(member.display_name.as_str().to_owned()),
        roles: Set(to_json(&roles, "roles")?),
        active: Set(member.active),
    })
}

/// The `staff_teams` rows of a staff member, in the order of `member.teams`.
pub(crate) fn staff_team_rows(
    member: &StaffMember,
) -> Result<Vec<staff_teams::ActiveModel>, StorageError> {
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for (position, team) in member.teams.iter().enumerate() {
        if !seen.insert(*team) {
            return Err(StorageError::Backend(format!(
                "team {team} is listed twice for staff member {}",
                member.id
            )));
        }
        rows.push(staff_teams::ActiveModel {
            staff_id: Set(member.id.as_uuid()),
            team_id: Set(team.as_uuid()),
            position: Set(i32::try_from(position)
                .map_err(|_| StorageError::Backend("too many teams".into()))?),
        });
    }
    Ok(rows)
}

/// A staff member from its row and its team rows (in any order).
pub(crate) fn staff_from_rows(
    row: staff::Model,
    mut teams: Vec<staff_teams::Model>,
) -> Result<StaffMember, StorageError> {
    let keys: Vec<String> = from_json(&row.roles, "roles")?;
    let roles = keys
        .iter()
        .map(|k| key_of::<Role>(k, "role"))
        .collect::<Result<Vec<_>, _>>()?;
    teams.sort_by_key(|t| t.position);
    Ok(StaffMember {
        id: StaffId::from_uuid(row.id),
        login: text(row.login, "login")?,
        display_name: text(row.display_name, "display name")?,
        roles,
        teams: teams
            .into_iter()
            .map(|t| TeamId::from_uuid(t.team_id))
            .collect(),
        active: row.active,
    })
}

/// The `teams` row of a team.
pub(crate) fn team_row(team: &Team) -> teams::ActiveModel {
    teams::ActiveModel {
        id: Set(team.id.as_uuid()),
        name: Set(team.name.as_str().to_owned()),
    }
}

/// A team from its row.
pub(crate) fn team_from_row(row: teams::Model) -> Result<Team, StorageError> {
    Ok(Team {
        id: TeamId::from_uuid(row.id),
        name: text(row.name, "team name")?,
    })
}

// ---------------------------------------------------------------------------------------
// Services and group sessions

/// The `services` row of a specialist service.
pub(crate) fn service_row(service: &SpecialistService) -> services::ActiveModel {
    services::ActiveModel {
        id: Set(service.id.as_uuid()),
        name: Set(service.name.as_str().to_owned()),
        kind: Set(service.kind.key().to_owned()),
        contact: Set(service.contact.as_ref().map(|c| c.as_str().to_owned())),
        active: Set(service.active),
        address: Set(optional_text(service.details.address.as_ref())),
        phone: Set(optional_text(service.details.phone.as_ref())),
        email: Set(optional_text(service.details.email.as_ref())),
        opening_hours: Set(optional_text(service.details.opening_hours.as_ref())),
        contact_person: Set(optional_text(service.details.contact_person.as_ref())),
    }
}

fn optional_text(t: Option<&Text>) -> Option<String> {
    t.map(|t| t.as_str().to_owned())
}

fn text_of(column: Option<String>, what: &'static str) -> Result<Option<Text>, StorageError> {
    column.map(|c| text(c, what)).transpose()
}

/// A specialist service from its row.
pub(crate) fn service_from_row(row: services::Model) -> Result<SpecialistService, StorageError> {
    Ok(SpecialistService {
        id: ServiceId::from_uuid(row.id),
        name: text(row.name, "service name")?,
        kind: key_of(&row.kind, "service kind")?,
        contact: row
            .contact
            .map(|c| text(c, "service contact"))
            .transpose()?,
        active: row.active,
        details: ServiceDetails {
            address: text_of(row.address, "service address")?,
            phone: text_of(row.phone, "service phone")?,
            email: text_of(row.email, "service e-mail")?,
            opening_hours: text_of(row.opening_hours, "service opening hours")?,
            contact_person: text_of(row.contact_person, "service contact person")?,
        },
    })
}

/// The `group_sessions` row of a group session.
pub(crate) fn group_session_row(session: &GroupSession) -> group_sessions::ActiveModel {
    group_sessions::ActiveModel {
        id: Set(session.id.as_uuid()),
        kind: Set(session.kind.key().to_owned()),
        date: Set(session.date),
        title: Set(session.title.as_str().to_owned()),
    }
}

/// A group session from its row.
pub(crate) fn group_session_from_row(
    row: group_sessions::Model,
) -> Result<GroupSession, StorageError> {
    Ok(GroupSession {
        id: GroupSessionId::from_uuid(row.id),
        kind: key_of(&row.kind, "group session kind")?,
        date: row.date,
        title: text(row.title, "group session title")?,
    })
}

// ---------------------------------------------------------------------------------------
// Audit and access log

/// An `audit_log` row.
pub(crate) fn audit_row(
    stamp: AuditStamp,
    action: &str,
    subject: String,
) -> audit_log::ActiveModel {
    audit_log::ActiveModel {
        id: NotSet,
        at: Set(ts(stamp.at)),
        actor: Set(stamp.actor.map(|a| a.as_uuid())),
        action: Set(action.to_owned()),
        subject: Set(subject),
        count: Set(1),
    }
}

/// An audit record from its row.
pub(crate) fn audit_from_row(row: audit_log::Model) -> Result<AuditRecord, StorageError> {
    Ok(AuditRecord {
        id: row.id,
        count: u64::try_from(row.count).unwrap_or(1),
        at: parse_ts(&row.at)?,
        actor: row.actor.map(StaffId::from_uuid),
        action: row.action,
        subject: row.subject,
    })
}

/// An `access_log` row, with the reader's sign-in name and display name at the time (from
/// their `staff` row, if there is one).
pub(crate) fn access_row(
    entry: &AccessEntry,
    reader: Option<&staff::Model>,
) -> Result<access_log::ActiveModel, StorageError> {
    Ok(access_log::ActiveModel {
        id: NotSet,
        at: Set(ts(entry.at)),
        actor: Set(entry.actor.as_uuid()),
        case_id: Set(entry.case_id.as_uuid()),
        kind: Set(serde_key(&entry.kind)?),
        reader_login: Set(reader.map(|r| r.login.clone())),
        reader_name: Set(reader.map(|r| r.display_name.clone())),
    })
}

/// A read of a case file as recorded, with the reader as they were named at the time.
pub(crate) fn access_record_from_row(row: access_log::Model) -> Result<AccessRecord, StorageError> {
    Ok(AccessRecord {
        id: row.id,
        reader_login: row.reader_login.clone(),
        reader_name: row.reader_name.clone(),
        entry: access_from_row(row)?,
    })
}

/// An access entry from its row.
pub(crate) fn access_from_row(row: access_log::Model) -> Result<AccessEntry, StorageError> {
    Ok(AccessEntry {
        at: parse_ts(&row.at)?,
        actor: StaffId::from_uuid(row.actor),
        case_id: CaseId::from_uuid(row.case_id),
        kind: from_serde_key::<AccessKind>(&row.kind, "access kind")?,
    })
}

// ---------------------------------------------------------------------------------------
// Personal access tokens

/// A stored token row as a [`crate::PersonalToken`].
pub(crate) fn token_from_row(
    row: &crate::entity::personal_tokens::Model,
) -> Result<crate::PersonalToken, StorageError> {
    Ok(crate::PersonalToken {
        id: row.id,
        staff: StaffId::from_uuid(row.staff_id),
        name: row.name.clone(),
        created_at: parse_ts(&row.created_at)?,
        expires_at: parse_ts(&row.expires_at)?,
        revoked_at: row.revoked_at.as_deref().map(parse_ts).transpose()?,
        scope: crate::TokenScope::parse(&row.scope)
            .map_err(|e| StorageError::Corrupt(e.to_string()))?,
    })
}

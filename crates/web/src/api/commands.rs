//! Reading a process step's command from its JSON: core's [`Command`] in its serde form,
//! with the people, services and group sessions it names given by id and looked up in the
//! directories here (a client cannot make up a key worker's roles or a service's details).

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use wegbereiter_core::prelude::*;

use super::problem::Problem;
use crate::AppState;

/// Every command the case endpoint takes (core's `Command` but `refer`, which is
/// `POST /referrals`).
pub const COMMANDS: &[&str] = &[
    "assign_team",
    "choose_letter_language",
    "announce_visit",
    "log_contact_attempt",
    "decline",
    "mark_not_reached",
    "enrol",
    "extend_period",
    "give_consent",
    "withdraw_consent",
    "assess_domain",
    "agree_goal",
    "update_goal",
    "rate_goal",
    "record_contact",
    "refer_out",
    "update_referral_out",
    "record_secrecy_release",
    "withdraw_secrecy_release",
    "record_disclosure",
    "hand_over",
    "reassign_key_worker",
    "record_attendance",
    "record_esf_entry",
    "pause_participation",
    "resume_participation",
    "close",
    "record_immediate_result",
    "reopen",
];

/// The step's name in `command` and its fields beside it, as core's `Command` serialises
/// them (ids made by the caller, e.g. a new goal's `id`, are UUIDs; days ISO dates;
/// vocabulary values their keys). `key_worker` (enrol) and `to` (hand_over,
/// reassign_key_worker) are staff ids, `service` (refer_out) a service id, `session`
/// (record_attendance) a group session id.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"command": "decline", "on": "2026-03-02"}))]
pub struct CommandBody {
    /// The process step.
    pub command: CommandName,
}

/// The name of a command (see [`COMMANDS`]).
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum CommandName {
    AssignTeam,
    ChooseLetterLanguage,
    AnnounceVisit,
    LogContactAttempt,
    Decline,
    MarkNotReached,
    Enrol,
    ExtendPeriod,
    GiveConsent,
    WithdrawConsent,
    AssessDomain,
    AgreeGoal,
    UpdateGoal,
    RateGoal,
    RecordContact,
    ReferOut,
    UpdateReferralOut,
    RecordSecrecyRelease,
    WithdrawSecrecyRelease,
    RecordDisclosure,
    HandOver,
    ReassignKeyWorker,
    RecordAttendance,
    RecordEsfEntry,
    PauseParticipation,
    ResumeParticipation,
    Close,
    RecordImmediateResult,
    Reopen,
}

/// Reads the command of `body`, looking up what it names by id.
///
/// # Errors
/// [`Problem::invalid`] for a body that is no command, names an unknown command (or
/// `refer`), or an id that names nobody; storage failures.
pub async fn read(state: &AppState, mut body: Value) -> Result<Command, Problem> {
    let name = body
        .get("command")
        .and_then(Value::as_str)
        .ok_or_else(|| Problem::invalid("the body needs \"command\", the name of the step"))?
        .to_owned();
    if !COMMANDS.contains(&name.as_str()) {
        return Err(Problem::invalid(&format!(
            "unknown command {name:?} (new cases: POST /api/v1/referrals)"
        )));
    }
    match name.as_str() {
        "enrol" => resolve_staff(state, &mut body, "key_worker").await?,
        "hand_over" | "reassign_key_worker" => resolve_staff(state, &mut body, "to").await?,
        "refer_out" => resolve_service(state, &mut body).await?,
        "record_attendance" => resolve_session(state, &mut body).await?,
        _ => {}
    }
    serde_json::from_value(body).map_err(|e| Problem::invalid(&e.to_string()))
}

/// The id in field `field` of `body` (`None` for an absent or null field).
fn id_in(body: &Value, field: &str) -> Result<Option<uuid::Uuid>, Problem> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_str()
            .and_then(|s| s.parse().ok())
            .map(Some)
            .ok_or_else(|| Problem::invalid(&format!("{field} must be an id (UUID)"))),
    }
}

fn put(body: &mut Value, field: &str, value: impl Serialize) -> Result<(), Problem> {
    let value = serde_json::to_value(value).map_err(|e| Problem::internal(&e.to_string()))?;
    if let Some(map) = body.as_object_mut() {
        map.insert(field.to_owned(), value);
    }
    Ok(())
}

async fn resolve_staff(state: &AppState, body: &mut Value, field: &str) -> Result<(), Problem> {
    let Some(id) = id_in(body, field)? else {
        return Ok(());
    };
    let member = state
        .backend
        .staff(StaffId::from_uuid(id))
        .await?
        .ok_or_else(|| Problem::invalid(&format!("{field} names no staff member")))?;
    put(body, field, member.as_actor())
}

async fn resolve_service(state: &AppState, body: &mut Value) -> Result<(), Problem> {
    let Some(id) = id_in(body, "service")? else {
        return Err(Problem::invalid("service must be the id of a service"));
    };
    let service = state
        .backend
        .service(ServiceId::from_uuid(id))
        .await?
        .ok_or_else(|| Problem::invalid("service names no service of the directory"))?;
    put(body, "service", service)
}

async fn resolve_session(state: &AppState, body: &mut Value) -> Result<(), Problem> {
    let Some(id) = id_in(body, "session")? else {
        return Err(Problem::invalid(
            "session must be the id of a group session",
        ));
    };
    let session = state
        .backend
        .group_session(GroupSessionId::from_uuid(id))
        .await?
        .ok_or_else(|| Problem::invalid("session names no group session"))?;
    put(body, "session", session)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name is one of core's commands: deserialising it alone fails for a missing
    /// field (or succeeds), never for an unknown variant.
    #[test]
    fn every_command_name_is_one_of_cores_commands() {
        for name in COMMANDS {
            let result = serde_json::from_value::<Command>(serde_json::json!({"command": name}));
            if let Err(e) = result {
                assert!(!e.to_string().contains("unknown variant"), "{name}: {e}");
            }
            let listed = serde_json::to_value(
                serde_json::from_value::<CommandName>(Value::from(*name)).ok(),
            )
            .ok();
            assert_eq!(listed, Some(Value::from(*name)), "{name} in CommandName");
        }
    }
}

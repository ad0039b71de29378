//! The access policy: who may know of, read and change which case, for every frontend.
//!
//! Every decision is a pure function of an [`Actor`] and a [`CaseSummary`] (or no case, for
//! a referral that opens one). [`CaseService`](crate::service::CaseService) applies the
//! policy to every read ([`CaseService::read_for`](crate::service::CaseService::read_for))
//! and every command ([`authorize`]), so neither the CLI, nor the web frontend, nor an
//! embedder can forget a rule; frontends only map the typed refusal ([`AccessDenied`]) to a
//! status code or an exit code, and ask these functions to decide what to offer.
//!
//! * Case workers (key worker, job coach, psychologist, team lead) see the cases of their
//!   teams and the cases assigned to them.
//! * They change a case when it is assigned to them, or while it is still unassigned
//!   (outreach, before enrolment names a key worker) and belongs to their team. A team lead
//!   changes the assignment (team, key worker) and reopens cases of their team.
//! * The assignment means the same in every status: a team lead may name the person
//!   responsible for the outreach of a `referred` or `outreach` case, and from then on that
//!   person changes the case exactly like an assigned key worker, while the rest of the team
//!   reads it.
//! * A former key worker (responsible until a handover or a reassignment named someone
//!   else) still reads the case for
//!   [`Policy::former_key_worker_read_days`](crate::command::Policy::former_key_worker_read_days)
//!   days (default 28), even outside the case's team, and changes nothing in it, attendance
//!   included ([`CaseSummary::former_readers`], computed by
//!   [`Case::summary_at`](crate::case::Case::summary_at)).
//! * Phase 2 attendance is a change of the case: only whoever changes the case records it.
//! * Only psychologists read the psychologist compartment (rule R14); they may also write
//!   psychologist notes into any case they may see.
//! * Administrators manage staff, teams and the service directory and never open a case.
//! * The data-protection officer reads the audit and access logs, keeps the retention rules
//!   and the register of data-protection requests, and never opens a case.
//! * A deactivated account can do nothing at all.
//!
//! Where the existence of a case is itself confidential (a case of another team), the
//! refusal is [`AccessDenied::NotVisible`], which frontends show exactly like an unknown
//! case; a visible case without the right to a step is [`AccessDenied::Forbidden`].

use serde::{Deserialize, Serialize};

use crate::case::CaseSummary;
use crate::command::Command;
use crate::contact::NoteCompartment;
use crate::esf::EsfScope;
use crate::ids::{StaffId, TeamId};
use crate::staff::{Actor, Role};
use crate::vocab::Lang;

/// How a person stands to one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CaseAccess {
    /// The person's roles never open cases (administrator, data-protection officer), or the
    /// account is deactivated.
    RoleForbidden,
    /// The case is not visible to this person; its existence is confidential.
    NotVisible,
    /// May read the case file.
    Read,
    /// May read and change the case's content.
    Write,
}

impl CaseAccess {
    /// Whether the case file may be read.
    #[must_use]
    pub fn can_read(self) -> bool {
        matches!(self, Self::Read | Self::Write)
    }

    /// Whether the case's content may be changed.
    #[must_use]
    pub fn can_write(self) -> bool {
        self == Self::Write
    }

    /// The refusal for a read, if the person may not read the case.
    #[must_use]
    pub fn read_refusal(self) -> Option<AccessDenied> {
        match self {
            Self::RoleForbidden => Some(AccessDenied::Forbidden(Right::Read)),
            Self::NotVisible => Some(AccessDenied::NotVisible),
            Self::Read | Self::Write => None,
        }
    }
}

/// Why the access policy refused a read or a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccessDenied {
    /// The person may know of the case (or the step concerns no case) but lacks this right:
    /// frontends answer 403 or "not permitted", naming what was refused.
    #[error("not permitted for this person: {0}")]
    Forbidden(Right),
    /// The person may not know that the case exists: frontends answer exactly as for an
    /// unknown case (404).
    #[error("no such case for this person")]
    NotVisible,
}

/// What a step needs of the acting person; see [`required_right`]. A refusal names the right
/// it refused ([`AccessDenied::Forbidden`]), so that frontends can say what was not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "right", content = "arg")]
#[non_exhaustive]
pub enum Right {
    /// Read the case file.
    Read,
    /// Open a new case for a team (process step 1).
    EnterReferral(Option<TeamId>),
    /// Change the case's content (process steps 2–10).
    ChangeContent,
    /// Document a contact whose note lands in this compartment.
    RecordContact(NoteCompartment),
    /// Document contacts at all, in whichever compartment the person may write
    /// ([`can_record_contact`]): what a contact form needs before the compartment is chosen.
    RecordAnyContact,
    /// Record Phase 2 attendance.
    RecordAttendance,
    /// Change the assignment (team, key worker) or reopen: the team lead's steps.
    Lead,
}

impl Right {
    /// Why a refusal of this right happened, as a full sentence for people in `lang`; the
    /// CLI and the web frontend show it for [`AccessDenied::Forbidden`].
    #[must_use]
    pub fn refusal(self, lang: Lang) -> &'static str {
        let (de, en) = match self {
            Self::Read => (
                "Mit Ihrer Rolle dürfen Sie keine Fallakten lesen (oder Ihr Zugang ist deaktiviert).",
                "Your role does not let you read case files (or your account is deactivated).",
            ),
            Self::EnterReferral(_) => (
                "Zuweisungen dürfen Sie nur für ein Team erfassen, in dem Sie mitarbeiten.",
                "You may only enter referrals for a team you belong to.",
            ),
            Self::ChangeContent => (
                "Diesen Fall dürfen Sie lesen, aber nicht ändern: Das darf nur die zuständige Fachkraft, solange niemand zuständig ist auch das Team.",
                "You may read this case but not change it: only the person responsible may, or the team while nobody is.",
            ),
            Self::RecordContact(NoteCompartment::CaseTeam) => (
                "Kontakte für das Fallteam darf nur die zuständige Fachkraft dokumentieren.",
                "Only the person responsible may document contacts for the case team.",
            ),
            Self::RecordContact(NoteCompartment::Psychologist) | Self::RecordAnyContact => (
                "In diesem Fall dürfen Sie keine Kontakte dokumentieren: Das darf die zuständige Fachkraft, psychologische Notizen auch Psycholog*innen des Teams.",
                "You may not document contacts in this case: the person responsible may, and a psychologist of the team may write psychologist notes.",
            ),
            Self::RecordAttendance => (
                "Anwesenheit darf nur die zuständige Fachkraft des Falls erfassen; wer den Fall nur liest (auch nach einer Übergabe), erfasst nichts.",
                "Only the person responsible for the case may record attendance; whoever only reads it (also after a handover) records nothing.",
            ),
            Self::Lead => (
                "Das darf nur die Teamleitung des Falls: ein Team zuweisen, die zuständige Fachkraft wechseln, einen Fall wieder öffnen.",
                "Only the lead of the case's team may do this: assign a team, change the person responsible, reopen a case.",
            ),
        };
        match lang {
            Lang::De => de,
            Lang::En => en,
        }
    }
}

impl std::fmt::Display for Right {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Read => "read case files",
            Self::EnterReferral(_) => "enter a referral for this team",
            Self::ChangeContent => "change the case",
            Self::RecordContact(NoteCompartment::CaseTeam) => "record a contact for the case team",
            Self::RecordContact(NoteCompartment::Psychologist) => "record a psychologist note",
            Self::RecordAnyContact => "record contacts",
            Self::RecordAttendance => "record attendance",
            Self::Lead => "lead the case",
        })
    }
}

/// Whether the person works on case files at all (and is active).
#[must_use]
pub fn works_on_cases(actor: &Actor) -> bool {
    actor.active && actor.roles.iter().any(|r| r.works_on_cases())
}

fn in_team(actor: &Actor, team: Option<TeamId>) -> bool {
    team.is_some_and(|t| actor.teams.contains(&t))
}

/// Whether `actor` works in the case: a member of its team or the person responsible. What
/// may change a case, or add a psychologist's note to it, starts from here; a former key
/// worker's reading does not.
fn works_in_case(actor: &Actor, case: &CaseSummary) -> bool {
    !case.restricted
        && works_on_cases(actor)
        && (in_team(actor, case.team) || case.key_worker == Some(actor.id))
}

/// Whether `actor` may know of (and read) the case summarised by `case`: a member of its
/// team, the person responsible, or a former key worker within the read-only period after
/// handing it on ([`CaseSummary::former_readers`]).
#[must_use]
pub fn can_view_case(actor: &Actor, case: &CaseSummary) -> bool {
    works_in_case(actor, case)
        || (!case.restricted && works_on_cases(actor) && reads_as_former_key_worker(actor, case))
}

/// Whether `actor` reads the case only as its former key worker (read-only, for the period
/// after the handover): neither in the case's team nor responsible for it.
#[must_use]
pub fn reads_as_former_key_worker(actor: &Actor, case: &CaseSummary) -> bool {
    case.former_readers.contains(&actor.id) && case.key_worker != Some(actor.id)
}

/// Whether `actor` may open a case known only by its team and key worker, as a report's
/// drill-down knows it (the ESF Plus participant list): who works on cases and is in its team
/// or is its key worker. The case page still decides with [`can_view_case`].
#[must_use]
pub fn may_open_case_of(actor: &Actor, team: Option<TeamId>, key_worker: Option<StaffId>) -> bool {
    works_on_cases(actor) && (in_team(actor, team) || key_worker == Some(actor.id))
}

/// Whether `actor` takes up unassigned cases of their teams (outreach before anyone is
/// named): key workers, job coaches and psychologists, not team leads alone.
#[must_use]
pub fn may_take_up_unassigned(actor: &Actor) -> bool {
    works_on_cases(actor)
        && [Role::KeyWorker, Role::JobCoach, Role::Psychologist]
            .iter()
            .any(|r| actor.has_role(*r))
}

/// Whether `actor` may change the case's content (process steps 2–10): the assigned person
/// (key worker, or the person named for the outreach), or, while nobody is assigned, anyone
/// of the case's team who takes up unassigned cases.
#[must_use]
pub fn can_change_case(actor: &Actor, case: &CaseSummary) -> bool {
    if !works_in_case(actor, case) {
        return false;
    }
    match case.key_worker {
        Some(k) => k == actor.id,
        None => may_take_up_unassigned(actor) && in_team(actor, case.team),
    }
}

/// The access of `actor` to `case`.
#[must_use]
pub fn case_access(actor: &Actor, case: &CaseSummary) -> CaseAccess {
    if !works_on_cases(actor) {
        CaseAccess::RoleForbidden
    } else if can_change_case(actor, case) {
        CaseAccess::Write
    } else if can_view_case(actor, case) {
        CaseAccess::Read
    } else {
        CaseAccess::NotVisible
    }
}

/// Whether `actor` leads the case's team (reassign, assign another team, reopen).
#[must_use]
pub fn can_lead_case(actor: &Actor, case: &CaseSummary) -> bool {
    !case.restricted
        && works_on_cases(actor)
        && actor.has_role(Role::TeamLead)
        && in_team(actor, case.team)
}

/// Whether `candidate` may be named for the case (key worker, person responsible for the
/// outreach, hand-over to a colleague): a member of the case's team. Whether the person
/// holds the role the step needs and is active is decided with the command.
#[must_use]
pub fn can_be_named_for(candidate: &Actor, case: &CaseSummary) -> bool {
    in_team(candidate, case.team)
}

/// Whether `candidate` may receive a hand-over inside the project (process step 9): anyone
/// active who works on cases, in any team, because job coaches, psychologists and the Phase 2
/// staff usually form teams of their own. Once named, the person is the case's key worker and
/// sees it through [`can_view_case`].
#[must_use]
pub fn can_receive_handover(candidate: &Actor) -> bool {
    works_on_cases(candidate)
}

/// Whether `actor` reads notes of the psychologist compartment (rule R14).
#[must_use]
pub fn can_read_psychologist_notes(actor: &Actor) -> bool {
    actor.reads_compartment(NoteCompartment::Psychologist)
}

/// Whether `actor` may write a psychologist note into the case: a psychologist who sees it.
#[must_use]
pub fn can_write_psychologist_note(actor: &Actor, case: &CaseSummary) -> bool {
    can_read_psychologist_notes(actor)
        && works_in_case(actor, case)
        && !reads_as_former_key_worker(actor, case)
}

/// Whether `actor` may record a contact at all (a psychologist may, in any visible case).
#[must_use]
pub fn can_record_contact(actor: &Actor, case: &CaseSummary) -> bool {
    can_change_case(actor, case) || can_write_psychologist_note(actor, case)
}

/// Whether `actor` may record a contact into `compartment`: the team's notes only by whoever
/// changes the case; the psychologist compartment also by a psychologist who sees the case.
#[must_use]
pub fn can_record_contact_in(
    actor: &Actor,
    case: &CaseSummary,
    compartment: NoteCompartment,
) -> bool {
    match compartment {
        NoteCompartment::Psychologist => can_record_contact(actor, case),
        NoteCompartment::CaseTeam => can_change_case(actor, case),
    }
}

/// Whether `actor` may record Phase 2 attendance for the case: attendance is a change of the
/// case, so only whoever changes it ([`can_change_case`]: the person responsible, after a
/// Phase 2 handover usually the group's staff member). Whoever only reads it (a colleague of
/// the team, a former key worker after the handover) sees the attendance sheet's row
/// without the choice.
#[must_use]
pub fn can_record_attendance(actor: &Actor, case: &CaseSummary) -> bool {
    can_change_case(actor, case)
}

/// Whether `actor` may enter new referrals (into one of their teams).
#[must_use]
pub fn can_enter_referral(actor: &Actor) -> bool {
    works_on_cases(actor) && !actor.teams.is_empty()
}

/// Whether `actor` may enter a referral for `team`. A referral needs a team: a case without
/// one would be visible to nobody.
#[must_use]
pub fn can_enter_referral_for(actor: &Actor, team: Option<TeamId>) -> bool {
    can_enter_referral(actor) && in_team(actor, team)
}

/// Whether `actor` runs Phase 2 group sessions (create sessions, open attendance sheets).
#[must_use]
pub fn can_use_group_sessions(actor: &Actor) -> bool {
    works_on_cases(actor)
}

/// Whether `actor` administers staff, teams and the service directory.
#[must_use]
pub fn can_administer(actor: &Actor) -> bool {
    actor.active && actor.has_role(Role::Administrator)
}

/// Whether `actor` reads the audit and access logs.
#[must_use]
pub fn can_read_audit(actor: &Actor) -> bool {
    actor.active && actor.has_role(Role::DataProtectionOfficer)
}

/// Whether `actor` keeps the retention rules and carries out erasure and restriction
/// (the retention plan, Art. 15, 17 and 18 GDPR requests): the data-protection officer.
#[must_use]
pub fn can_manage_retention(actor: &Actor) -> bool {
    actor.active && actor.has_role(Role::DataProtectionOfficer)
}

/// Whether `actor` keeps the register of a client's data-protection requests (enters a
/// request, extends its period, records it as done or refused;
/// [`crate::privacy_request`]): the data-protection officer, as for retention.
#[must_use]
pub fn can_keep_privacy_requests(actor: &Actor) -> bool {
    can_manage_retention(actor)
}

/// Whether `actor` sees the load of their teams (cases per key worker).
#[must_use]
pub fn can_see_team_load(actor: &Actor) -> bool {
    actor.active && actor.has_role(Role::TeamLead)
}

/// Whether `actor` may see the ESF Plus indicators of their teams (counts only, never a
/// person): the team lead, who reports to the funding body.
#[must_use]
pub fn can_see_esf_report(actor: &Actor) -> bool {
    can_see_team_load(actor)
}

/// Whether `actor` may see the ESF Plus report of `scope`: a team lead for one of their
/// teams, or for the whole project ([`EsfScope::All`], what the funder receives). The report
/// holds counts and pseudonymous participant numbers only; a case behind a number opens only
/// for those [`can_view_case`] allows.
#[must_use]
pub fn can_see_esf_report_for(actor: &Actor, scope: &EsfScope) -> bool {
    can_see_esf_report(actor)
        && match scope {
            EsfScope::All => true,
            EsfScope::Team(team) => actor.teams.contains(team),
        }
}

/// Whether `actor` may see the statistics of `scope` (`crate::statistics`): whoever may see
/// the ESF Plus report of that scope. Statistics hold counts only; what leaves the team has
/// its small counts suppressed.
#[must_use]
pub fn can_see_statistics_for(actor: &Actor, scope: &EsfScope) -> bool {
    can_see_esf_report_for(actor, scope)
}

/// Whether `actor` reads the case directory (staff, teams, services): anyone active.
#[must_use]
pub fn can_read_directory(actor: &Actor) -> bool {
    actor.active
}

/// The right `command` needs, when `actor` gives it. A contact's right depends on the
/// compartment its note will land in ([`crate::contact::compartment_for`]).
#[must_use]
pub fn required_right(command: &Command, actor: &Actor) -> Right {
    match command {
        Command::Refer { team, .. } => Right::EnterReferral(*team),
        Command::AssignTeam { .. } | Command::ReassignKeyWorker { .. } | Command::Reopen { .. } => {
            Right::Lead
        }
        Command::RecordContact {
            contact,
            share_with_team,
        } => Right::RecordContact(crate::contact::compartment_for(
            actor,
            contact.compartment,
            *share_with_team,
        )),
        Command::RecordAttendance { .. } => Right::RecordAttendance,
        _ => Right::ChangeContent,
    }
}

/// Whether `actor` holds `right` for `case` (`None`: no case yet).
///
/// # Errors
/// [`AccessDenied::NotVisible`] when the person may not know of the case (or it does not
/// exist and the right needs a case); [`AccessDenied::Forbidden`] when the person may know of
/// it, or the right concerns no case, but may not do this.
pub fn check(actor: &Actor, case: Option<&CaseSummary>, right: Right) -> Result<(), AccessDenied> {
    let Some(case) = case else {
        return match right {
            Right::EnterReferral(team) if can_enter_referral_for(actor, team) => Ok(()),
            Right::EnterReferral(_) => Err(AccessDenied::Forbidden(right)),
            _ => Err(AccessDenied::NotVisible),
        };
    };
    let access = case_access(actor, case);
    if let Some(refusal) = access.read_refusal() {
        return Err(refusal);
    }
    let allowed = match right {
        Right::Read => true,
        // A case with this id exists already; the command itself refuses it.
        Right::EnterReferral(_) => true,
        Right::ChangeContent => access.can_write(),
        Right::RecordContact(compartment) => can_record_contact_in(actor, case, compartment),
        Right::RecordAnyContact => can_record_contact(actor, case),
        Right::RecordAttendance => can_record_attendance(actor, case),
        Right::Lead => can_lead_case(actor, case),
    };
    if allowed {
        Ok(())
    } else {
        Err(AccessDenied::Forbidden(right))
    }
}

/// Whether `actor` may give `command` for `case` (`None`: no case yet), as
/// [`check`] with [`required_right`].
///
/// # Errors
/// As [`check`].
pub fn authorize(
    actor: &Actor,
    case: Option<&CaseSummary>,
    command: &Command,
) -> Result<(), AccessDenied> {
    check(actor, case, required_right(command, actor))
}

/// What the data-protection officer's review knows of one read of a case file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFacts {
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The installation's local day of `at`.
    pub day: chrono::NaiveDate,
    /// Who read.
    pub reader: crate::ids::StaffId,
    /// The reader's teams now.
    pub reader_teams: Vec<TeamId>,
    /// The case read.
    pub case: crate::ids::CaseId,
    /// The case's team now, if it is still stored.
    pub case_team: Option<TeamId>,
    /// The case's key worker now.
    pub case_key_worker: Option<crate::ids::StaffId>,
    /// The day the case ended, if it has.
    pub case_ended_on: Option<chrono::NaiveDate>,
}

/// Why a read deserves a second look (the DPO's review of the access log, §22 BDSG).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[non_exhaustive]
pub enum UnusualRead {
    /// The case belongs to none of the reader's teams and the reader is not its key worker.
    OutsideOwnTeams,
    /// The case had ended before the day of the read.
    AfterClosure,
    /// The reader opened at least [`MANY_FILES`] different files within
    /// [`MANY_FILES_MINUTES`] minutes around this read.
    ManyFiles {
        /// Different files in that window.
        files: usize,
    },
}

/// How many different files within [`MANY_FILES_MINUTES`] make a read unusual.
pub const MANY_FILES: usize = 20;
/// The window, in minutes, of [`MANY_FILES`].
pub const MANY_FILES_MINUTES: i64 = 10;

/// For each read of `reads` (in any order), why it is unusual; empty for an ordinary one.
/// Only the reads given are counted for [`UnusualRead::ManyFiles`], so pass a whole period.
#[must_use]
pub fn unusual_reads(reads: &[ReadFacts]) -> Vec<Vec<UnusualRead>> {
    let window = chrono::Duration::minutes(MANY_FILES_MINUTES);
    reads
        .iter()
        .map(|r| {
            let mut flags = Vec::new();
            let own = r.case_key_worker == Some(r.reader)
                || r.case_team.is_some_and(|t| r.reader_teams.contains(&t));
            if !own {
                flags.push(UnusualRead::OutsideOwnTeams);
            }
            if r.case_ended_on.is_some_and(|ended| r.day > ended) {
                flags.push(UnusualRead::AfterClosure);
            }
            let mut files: Vec<crate::ids::CaseId> = reads
                .iter()
                .filter(|o| o.reader == r.reader && (o.at - r.at).abs() <= window)
                .map(|o| o.case)
                .collect();
            files.sort_unstable();
            files.dedup();
            if files.len() >= MANY_FILES {
                flags.push(UnusualRead::ManyFiles { files: files.len() });
            }
            flags
        })
        .collect()
}

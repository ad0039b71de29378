//! Who may see and do what: every access decision of the web frontend, as pure functions.
//!
//! Handlers ask these functions and nothing else, so the access matrix is testable in one
//! place (see the unit tests below and `tests/it/access_matrix.rs`).
//!
//! * Case workers (key worker, job coach, psychologist, team lead) see the cases of their
//!   teams and cases assigned to them.
//! * They change a case when it is assigned to them, or while it is still unassigned
//!   (outreach, before enrolment names a key worker) and belongs to their team. A team lead
//!   changes the assignment (team, key worker) and reopens cases of their team.
//! * The assignment means the same in every status: a team lead may name the person
//!   responsible for the outreach of a `referred` or `outreach` case (core's
//!   `ReassignKeyWorker`), and from then on that person changes the case exactly like an
//!   assigned key worker, while the rest of the team reads it.
//! * Only psychologists read the psychologist compartment; they may also write psychologist
//!   notes into any case they may see.
//! * Administrators manage staff, teams and the service directory and never open a case.
//! * The data-protection officer reads the audit and access logs and never opens a case.
//!
//! Where the existence of a case is itself confidential (a case of another team), handlers
//! answer 404, not 403: see [`CaseAccess`].

use wegbereiter_core::prelude::*;

/// How a staff member stands to one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAccess {
    /// The role never opens cases (administrator, data-protection officer): 403.
    RoleForbidden,
    /// The case is not visible to this person; its existence is confidential: 404.
    Hidden,
    /// May read the case file.
    Read,
    /// May read and change the case.
    Write,
}

impl CaseAccess {
    /// Whether the case file may be read.
    #[must_use]
    pub fn can_read(self) -> bool {
        matches!(self, Self::Read | Self::Write)
    }

    /// Whether the case may be changed.
    #[must_use]
    pub fn can_write(self) -> bool {
        self == Self::Write
    }
}

/// Whether the person works on case files at all (and is active).
#[must_use]
pub fn works_on_cases(staff: &StaffMember) -> bool {
    staff.active && staff.roles.iter().any(|r| r.works_on_cases())
}

fn in_team(staff: &StaffMember, team: Option<TeamId>) -> bool {
    team.is_some_and(|t| staff.teams.contains(&t))
}

/// Whether `staff` may see the case summarised by `case`.
#[must_use]
pub fn can_view_case(staff: &StaffMember, case: &CaseSummary) -> bool {
    works_on_cases(staff) && (in_team(staff, case.team) || case.key_worker == Some(staff.id))
}

/// Whether `staff` takes up unassigned cases of their teams (outreach before anyone is
/// named): key workers, job coaches and psychologists, not team leads alone.
#[must_use]
pub fn may_take_up_unassigned(staff: &StaffMember) -> bool {
    works_on_cases(staff)
        && (staff.has_role(Role::KeyWorker)
            || staff.has_role(Role::JobCoach)
            || staff.has_role(Role::Psychologist))
}

/// Whether `staff` may change the case's content (process steps 2–10): the assigned person
/// (key worker, or the person named for the outreach), or, while nobody is assigned, anyone
/// of the case's team who takes up unassigned cases.
#[must_use]
pub fn can_change_case(staff: &StaffMember, case: &CaseSummary) -> bool {
    if !can_view_case(staff, case) {
        return false;
    }
    match case.key_worker {
        Some(k) => k == staff.id,
        None => may_take_up_unassigned(staff) && in_team(staff, case.team),
    }
}

/// The access of `staff` to `case`.
#[must_use]
pub fn case_access(staff: &StaffMember, case: &CaseSummary) -> CaseAccess {
    if !works_on_cases(staff) {
        CaseAccess::RoleForbidden
    } else if can_change_case(staff, case) {
        CaseAccess::Write
    } else if can_view_case(staff, case) {
        CaseAccess::Read
    } else {
        CaseAccess::Hidden
    }
}

/// Whether `staff` leads the case's team (reassign, reopen).
#[must_use]
pub fn can_lead_case(staff: &StaffMember, case: &CaseSummary) -> bool {
    staff.active && staff.has_role(Role::TeamLead) && in_team(staff, case.team)
}

/// Whether `candidate` may be named for the case (key worker, person responsible for the
/// outreach, hand-over to a colleague): a member of the case's team. Whether the person
/// holds the role the step needs and is active is core's rule (`decide`).
#[must_use]
pub fn can_be_named_for(candidate: &StaffMember, case: &CaseSummary) -> bool {
    in_team(candidate, case.team)
}

/// Whether `candidate` may receive a hand-over inside the project (process step 9): anyone
/// active who works on cases, in any team, because job coaches, psychologists and the Phase 2
/// staff usually form teams of their own. Once named, the person is the case's key worker and
/// sees it through [`can_view_case`]; whether their role fits the hand-over is core's rule.
#[must_use]
pub fn can_receive_handover(candidate: &StaffMember) -> bool {
    works_on_cases(candidate)
}

/// Whether `staff` reads notes of the psychologist compartment (rule R14).
#[must_use]
pub fn can_read_psychologist_notes(staff: &StaffMember) -> bool {
    staff.reads_compartment(NoteCompartment::Psychologist)
}

/// Whether `staff` may write a psychologist note into the case.
#[must_use]
pub fn can_write_psychologist_note(staff: &StaffMember, case: &CaseSummary) -> bool {
    can_read_psychologist_notes(staff) && can_view_case(staff, case)
}

/// Whether `staff` may record a contact (a psychologist may, in any visible case).
#[must_use]
pub fn can_record_contact(staff: &StaffMember, case: &CaseSummary) -> bool {
    can_change_case(staff, case) || can_write_psychologist_note(staff, case)
}

/// Whether `staff` may record a contact into `compartment`: the team's notes only by whoever
/// changes the case; the psychologist compartment also by a psychologist who sees the case
/// (that only psychologists write there at all is core's rule).
#[must_use]
pub fn can_record_contact_in(
    staff: &StaffMember,
    case: &CaseSummary,
    compartment: NoteCompartment,
) -> bool {
    match compartment {
        NoteCompartment::Psychologist => can_record_contact(staff, case),
        _ => can_change_case(staff, case),
    }
}

/// Whether `staff` may record Phase 2 attendance for the case: whoever runs a group session
/// records attendance for participants of their teams.
#[must_use]
pub fn can_record_attendance(staff: &StaffMember, case: &CaseSummary) -> bool {
    can_view_case(staff, case)
}

/// Whether `staff` may enter new referrals (into one of their teams).
#[must_use]
pub fn can_enter_referral(staff: &StaffMember) -> bool {
    works_on_cases(staff) && !staff.teams.is_empty()
}

/// Whether `staff` may enter a referral for `team`.
#[must_use]
pub fn can_enter_referral_for(staff: &StaffMember, team: TeamId) -> bool {
    can_enter_referral(staff) && staff.teams.contains(&team)
}

/// Whether `staff` manages Phase 2 group sessions (create sessions, open attendance sheets).
#[must_use]
pub fn can_use_group_sessions(staff: &StaffMember) -> bool {
    works_on_cases(staff)
}

/// Whether `staff` administers staff, teams and the service directory.
#[must_use]
pub fn can_administer(staff: &StaffMember) -> bool {
    staff.active && staff.has_role(Role::Administrator)
}

/// Whether `staff` reads the audit and access logs.
#[must_use]
pub fn can_read_audit(staff: &StaffMember) -> bool {
    staff.active && staff.has_role(Role::DataProtectionOfficer)
}

/// Whether `staff` sees the team overview (load per key worker) on the dashboard.
#[must_use]
pub fn can_see_team_load(staff: &StaffMember) -> bool {
    staff.active && staff.has_role(Role::TeamLead)
}

/// Whether `staff` may see the ESF Plus indicators of their teams (counts only, no person):
/// the team lead, who reports to the funding body.
#[must_use]
pub fn can_see_esf_report(staff: &StaffMember) -> bool {
    can_see_team_load(staff)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use uuid::Uuid;

    fn staff(n: u128, roles: &[Role], teams: &[u128]) -> StaffMember {
        StaffMember {
            id: StaffId::from_uuid(Uuid::from_u128(n)),
            login: Text::parse(format!("user{n}")).unwrap(),
            display_name: Text::parse(format!("User {n}")).unwrap(),
            roles: roles.to_vec(),
            teams: teams
                .iter()
                .map(|t| TeamId::from_uuid(Uuid::from_u128(*t)))
                .collect(),
            active: true,
        }
    }

    fn case(team: u128, key_worker: Option<u128>) -> CaseSummary {
        CaseSummary {
            id: CaseId::from_uuid(Uuid::from_u128(99)),
            version: 1,
            status: CaseStatus::Enrolled,
            phase: None,
            team: Some(TeamId::from_uuid(Uuid::from_u128(team))),
            key_worker: key_worker.map(|k| StaffId::from_uuid(Uuid::from_u128(k))),
            client_name: "Musterfrau, Erika".into(),
            date_of_birth: None,
            postcode: None,
            referral_date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            jobcenter: "Jobcenter Beispielstadt".into(),
            planned_end: None,
            ended_on: None,
            last_changed_at: Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
        }
    }

    #[test]
    fn key_worker_changes_own_reads_team_and_never_sees_other_teams() {
        let me = staff(1, &[Role::KeyWorker], &[10]);
        assert_eq!(case_access(&me, &case(10, Some(1))), CaseAccess::Write);
        assert_eq!(case_access(&me, &case(10, Some(2))), CaseAccess::Read);
        assert_eq!(case_access(&me, &case(10, None)), CaseAccess::Write);
        assert_eq!(case_access(&me, &case(11, Some(2))), CaseAccess::Hidden);
        assert_eq!(case_access(&me, &case(11, None)), CaseAccess::Hidden);
        // Assigned to me in another team (after a handover): mine.
        assert_eq!(case_access(&me, &case(11, Some(1))), CaseAccess::Write);
    }

    #[test]
    fn team_lead_reads_and_leads_but_does_not_write_others_cases() {
        let lead = staff(3, &[Role::TeamLead], &[10]);
        assert_eq!(case_access(&lead, &case(10, Some(1))), CaseAccess::Read);
        assert_eq!(case_access(&lead, &case(10, None)), CaseAccess::Read);
        assert!(can_lead_case(&lead, &case(10, Some(1))));
        assert!(!can_lead_case(&lead, &case(11, Some(1))));
        assert_eq!(case_access(&lead, &case(11, Some(1))), CaseAccess::Hidden);
        assert!(can_see_team_load(&lead));
    }

    #[test]
    fn the_person_named_for_outreach_changes_it_the_team_reads_it() {
        let named = staff(1, &[Role::KeyWorker], &[10]);
        let colleague = staff(2, &[Role::KeyWorker], &[10]);
        let lead = staff(3, &[Role::TeamLead], &[10]);
        for status in [CaseStatus::Referred, CaseStatus::Outreach] {
            let mut c = case(10, None);
            c.status = status;
            // Unassigned: anyone of the team who takes up outreach.
            assert_eq!(case_access(&named, &c), CaseAccess::Write);
            assert_eq!(case_access(&colleague, &c), CaseAccess::Write);
            assert_eq!(case_access(&lead, &c), CaseAccess::Read);
            assert!(can_lead_case(&lead, &c));
            // Named for the outreach: like an assigned key worker.
            c.key_worker = Some(named.id);
            assert_eq!(case_access(&named, &c), CaseAccess::Write);
            assert_eq!(case_access(&colleague, &c), CaseAccess::Read);
            assert_eq!(case_access(&lead, &c), CaseAccess::Read);
            // Also when the case moves to another team.
            c.team = Some(TeamId::from_uuid(Uuid::from_u128(11)));
            assert_eq!(case_access(&named, &c), CaseAccess::Write);
            assert_eq!(case_access(&colleague, &c), CaseAccess::Hidden);
        }
        assert!(may_take_up_unassigned(&named) && !may_take_up_unassigned(&lead));
    }

    #[test]
    fn admin_and_dpo_never_open_cases() {
        let admin = staff(4, &[Role::Administrator], &[10]);
        let dpo = staff(5, &[Role::DataProtectionOfficer], &[10]);
        for s in [&admin, &dpo] {
            assert_eq!(
                case_access(s, &case(10, Some(4))),
                CaseAccess::RoleForbidden
            );
            assert!(!can_enter_referral(s));
            assert!(!can_read_psychologist_notes(s));
        }
        assert!(can_administer(&admin) && !can_read_audit(&admin));
        assert!(can_read_audit(&dpo) && !can_administer(&dpo));
    }

    #[test]
    fn only_psychologists_read_the_psychologist_compartment() {
        let psy = staff(6, &[Role::Psychologist], &[10]);
        let lead = staff(3, &[Role::TeamLead, Role::KeyWorker], &[10]);
        assert!(can_read_psychologist_notes(&psy));
        assert!(!can_read_psychologist_notes(&lead));
        assert!(can_record_contact(&psy, &case(10, Some(1))));
        assert!(!can_change_case(&psy, &case(10, Some(1))));
        assert!(!can_record_contact(&psy, &case(11, Some(1))));
        // Not assigned: only into the psychologist compartment.
        let c = case(10, Some(1));
        assert!(can_record_contact_in(
            &psy,
            &c,
            NoteCompartment::Psychologist
        ));
        assert!(!can_record_contact_in(&psy, &c, NoteCompartment::CaseTeam));
        let kw = staff(1, &[Role::KeyWorker], &[10]);
        assert!(can_record_contact_in(&kw, &c, NoteCompartment::CaseTeam));
    }

    #[test]
    fn only_members_of_the_case_team_can_be_named_for_it() {
        let c = case(10, Some(1));
        assert!(can_be_named_for(
            &staff(2, &[Role::KeyWorker], &[10, 11]),
            &c
        ));
        assert!(!can_be_named_for(&staff(2, &[Role::KeyWorker], &[11]), &c));
    }

    #[test]
    fn deactivated_staff_can_do_nothing() {
        let mut me = staff(1, &[Role::KeyWorker, Role::Administrator], &[10]);
        me.active = false;
        assert_eq!(
            case_access(&me, &case(10, Some(1))),
            CaseAccess::RoleForbidden
        );
        assert!(!can_administer(&me));
    }
}

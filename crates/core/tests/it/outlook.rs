//! What the steps a frontend asks to confirm will do and leave possible (issue 16), and the
//! dated withdrawal of a consent.

use chrono::TimeZone;
use chrono_tz::Europe::Berlin;
use wegbereiter_core::outlook::{Afterwards, Effect, Warning, outlook};
use wegbereiter_core::prelude::*;
use wegbereiter_core::referral::check_email;
use wegbereiter_core::vocab::Lang;

use crate::support::*;

fn close(on: chrono::NaiveDate, reason: ExitReason) -> Command {
    Command::Close {
        on,
        reason,
        immediate_result: None,
    }
}

#[test]
fn closing_warns_about_open_goals_open_referrals_and_missing_esf_data() {
    let mut w = World::enrolled();
    w.on(d(2026, 4, 1));
    let goal = w.agree_goal(LifeDomain::Housing, "Ich will meine Wohnung behalten.");
    let referral = w.refer_out(ServiceKind::DebtCounselling);
    let cmd = close(d(2026, 4, 1), ExitReason::RegularEnd);
    assert!(cmd.asks_confirmation());
    let o = outlook(w.case(), &cmd, &w.policy, w.today).unwrap();
    assert_eq!(
        o.effects[0],
        Effect::Closed {
            on: d(2026, 4, 1),
            reason: ExitReason::RegularEnd
        }
    );
    assert!(
        matches!(&o.warnings[0], Warning::OpenGoals { goals } if goals.len() == 1 && goals[0].0 == goal)
    );
    assert!(
        matches!(&o.warnings[1], Warning::OpenReferralsOut { referrals }
        if referrals[0].0 == referral && referrals[0].2 == OutboundReferralStatus::Suggested)
    );
    assert!(o.warnings.contains(&Warning::EsfEntryMissing));
    assert!(o.warnings.contains(&Warning::EsfExitMissing));
    // Enrolled on 10 March: the planned end is 10 June, so "regular end" on 1 April is early.
    assert!(o.warnings.contains(&Warning::RegularEndBeforePlannedEnd {
        planned_end: d(2026, 6, 10)
    }));
    // The policy's window: 28 days by default.
    assert!(o.afterwards.contains(&Afterwards::Reopen {
        until: d(2026, 4, 29)
    }));
    let text = o.warnings[1].message(Lang::De);
    assert!(text.contains("Weitervermittlung"), "{text}");

    // Another reason and a finished goal leave fewer warnings; the window follows the policy.
    w.ok(Command::UpdateGoal {
        id: goal,
        changes: GoalChanges {
            status: Some(GoalStatus::Achieved),
            ..GoalChanges::default()
        },
    });
    w.policy.reopen_window_days = 10;
    let o = outlook(
        w.case(),
        &close(d(2026, 4, 1), ExitReason::Employment),
        &w.policy,
        w.today,
    )
    .unwrap();
    assert!(!o.warnings.iter().any(|x| matches!(
        x,
        Warning::OpenGoals { .. } | Warning::RegularEndBeforePlannedEnd { .. }
    )));
    assert!(o.afterwards.contains(&Afterwards::Reopen {
        until: d(2026, 4, 11)
    }));
}

#[test]
fn withdrawing_processing_consent_blocks_case_work_and_can_be_given_again() {
    let w = World::enrolled();
    let processing = w.case().consents[0].id;
    let cmd = Command::WithdrawConsent {
        id: processing,
        on: None,
    };
    let o = outlook(w.case(), &cmd, &w.policy, w.today).unwrap();
    assert!(o.effects.contains(&Effect::CaseWorkBlocked));
    assert_eq!(
        o.afterwards,
        vec![Afterwards::GiveConsentAgain {
            purpose: ConsentPurpose::CaseProcessing
        }]
    );
    let unknown = Command::WithdrawConsent {
        id: ConsentId::from_uuid(uuid::Uuid::from_u128(4242)),
        on: None,
    };
    assert!(outlook(w.case(), &unknown, &w.policy, w.today).is_none());
    // Steps that need no confirmation have no outlook.
    let extend = Command::ExtendPeriod {
        until: d(2026, 7, 1),
        reason: t("Klinikaufenthalt"),
    };
    assert!(!extend.asks_confirmation());
    assert!(outlook(w.case(), &extend, &w.policy, w.today).is_none());
}

#[test]
fn a_pause_keeps_the_planned_end_and_can_be_ended() {
    let w = World::enrolled();
    let o = outlook(
        w.case(),
        &Command::PauseParticipation { from: w.today },
        &w.policy,
        w.today,
    )
    .unwrap();
    assert_eq!(
        o.effects,
        vec![Effect::Paused {
            from: w.today,
            planned_end: Some(d(2026, 6, 10))
        }]
    );
    assert_eq!(o.afterwards, vec![Afterwards::EndPause]);
    assert!(
        o.effects[0]
            .message(Lang::De, &|_| String::new())
            .contains("10.06.2026")
    );
}

#[test]
fn a_consent_is_withdrawn_from_the_start_of_the_day_chosen() {
    let mut w = World::enrolled();
    let id = w.give_consent(ConsentPurpose::JobcenterParticipation);
    w.on(d(2026, 3, 20));
    // Not in the future, not before the day it was given (10 March).
    assert_eq!(
        w.try_(&Command::WithdrawConsent {
            id,
            on: Some(d(2026, 3, 21))
        })
        .unwrap_err(),
        DomainError::DateInFuture {
            date: d(2026, 3, 21)
        }
    );
    assert_eq!(
        w.try_(&Command::WithdrawConsent {
            id,
            on: Some(d(2026, 3, 9))
        })
        .unwrap_err(),
        DomainError::DateTooEarly {
            date: d(2026, 3, 9),
            earliest: d(2026, 3, 10)
        }
    );
    w.ok(Command::WithdrawConsent {
        id,
        on: Some(d(2026, 3, 15)),
    });
    let c = w.case().consents.iter().find(|c| c.id == id).unwrap();
    // Without a calendar the offset in force now (UTC in this world) stands for the zone.
    assert_eq!(
        c.withdrawn_at,
        Some(chrono::Utc.with_ymd_and_hms(2026, 3, 15, 0, 0, 0).unwrap())
    );
    assert!(
        !w.case()
            .has_active_consent(ConsentPurpose::JobcenterParticipation, noon(d(2026, 3, 15)))
    );
    assert!(
        w.case()
            .has_active_consent(ConsentPurpose::JobcenterParticipation, noon(d(2026, 3, 14)))
    );
}

#[test]
fn the_start_of_a_local_day_follows_the_zone() {
    let calendar: &dyn LocalCalendar = &Berlin;
    // Winter time: midnight in Berlin is 23:00 UTC the day before; summer time 22:00.
    assert_eq!(
        calendar.start_of(d(2026, 3, 15)),
        chrono::Utc.with_ymd_and_hms(2026, 3, 14, 23, 0, 0).unwrap()
    );
    assert_eq!(
        calendar.start_of(d(2026, 7, 15)),
        chrono::Utc.with_ymd_and_hms(2026, 7, 14, 22, 0, 0).unwrap()
    );
    assert_eq!(
        calendar.day_of(calendar.start_of(d(2026, 3, 29))),
        d(2026, 3, 29)
    );
}

#[test]
fn e_mail_addresses_need_an_at_sign_and_a_domain() {
    for ok in ["erika@example.org", "e.musterfrau+jc@mail.example.de"] {
        assert!(check_email(ok).is_ok(), "{ok}");
    }
    for bad in [
        "kein-at-zeichen",
        "@example.org",
        "erika@",
        "erika@example",
        "erika@example.",
        "er ika@example.org",
        "a@b@example.org",
    ] {
        assert!(check_email(bad).is_err(), "{bad}");
    }
    assert!(
        check_email("kein-at-zeichen")
            .unwrap_err()
            .message(Lang::De)
            .contains("E-Mail-Adresse")
    );
}

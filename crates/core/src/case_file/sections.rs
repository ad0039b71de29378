//! The facts and entries of each section of a case file.

use super::{
    Choice, Entry, Fact, FactKey, Names, RatingPoint, SectionKey, Value, View, Withheld,
    WithheldReason, withheld_reason,
};
use crate::case::Case;
use crate::closure::Closure;
use crate::contact::Contact;
use crate::vocab::{Labelled, Lang};

fn fact(key: FactKey, lang: Lang, value: Value) -> Fact {
    Fact {
        key,
        label: key.label(lang),
        value,
    }
}

fn choice<T: Labelled>(value: T, lang: Lang) -> Value {
    Value::Choice(Choice::of(value, lang))
}

fn choices<T: Labelled>(values: &[T], lang: Lang) -> Value {
    Value::Choices(values.iter().map(|v| Choice::of(*v, lang)).collect())
}

fn name(n: Option<String>) -> Value {
    n.map_or(Value::Missing, Value::Text)
}

/// The facts of a fact section (empty for listings and for what the case does not have).
pub(super) fn facts(key: SectionKey, case: &Case, view: &View<'_>, names: &dyn Names) -> Vec<Fact> {
    let lang = view.lang;
    let f = |k, v| fact(k, lang, v);
    match key {
        SectionKey::Overview => overview(case, lang, names),
        SectionKey::Client => client(case, lang),
        SectionKey::Referral => referral(case, lang),
        SectionKey::Enrolment => case.enrolment.as_ref().map_or_else(Vec::new, |e| {
            vec![
                f(FactKey::EnrolledOn, Value::Date(e.on)),
                f(
                    FactKey::TermsExplained,
                    Value::Flag(Some(e.terms.all_explained())),
                ),
            ]
        }),
        SectionKey::Period => case.period.as_ref().map_or_else(Vec::new, |p| {
            vec![
                f(FactKey::Start, Value::Date(p.start())),
                f(FactKey::PlannedEnd, Value::Date(p.planned_end())),
                f(FactKey::LatestEnd, Value::Date(p.latest_end())),
            ]
        }),
        SectionKey::EsfEntry => esf_entry(case, lang),
        SectionKey::Closure => case
            .closure
            .as_ref()
            .map_or_else(Vec::new, |c| closure(c, lang)),
        SectionKey::Letters
        | SectionKey::Attempts
        | SectionKey::Pauses
        | SectionKey::Consents
        | SectionKey::SocialHistory
        | SectionKey::Goals
        | SectionKey::Contacts
        | SectionKey::ReferralsOut
        | SectionKey::SecrecyReleases
        | SectionKey::Disclosures
        | SectionKey::Handovers
        | SectionKey::Attendance
        | SectionKey::PreviousClosures
        | SectionKey::SentReports => Vec::new(),
    }
}

fn overview(case: &Case, lang: Lang, names: &dyn Names) -> Vec<Fact> {
    let f = |k, v| fact(k, lang, v);
    let mut facts = vec![
        f(FactKey::Status, choice(case.status, lang)),
        f(
            FactKey::Phase,
            case.phase.map_or(Value::Missing, |p| choice(p, lang)),
        ),
        f(FactKey::Team, name(case.team.and_then(|t| names.team(t)))),
        f(
            FactKey::KeyWorker,
            name(case.key_worker.and_then(|k| names.staff(k))),
        ),
        f(FactKey::Version, Value::Number(case.version)),
    ];
    match (case.status.is_ended(), case.ended_on, &case.period) {
        (true, Some(ended), _) => facts.push(f(FactKey::EndedOn, Value::Date(ended))),
        (false, _, Some(p)) => facts.push(f(FactKey::PlannedEnd, Value::Date(p.planned_end()))),
        _ => {}
    }
    facts
}

fn client(case: &Case, lang: Lang) -> Vec<Fact> {
    let f = |k, v| fact(k, lang, v);
    let c = &case.referral.client;
    vec![
        f(FactKey::Name, Value::Text(c.full_name())),
        f(FactKey::DateOfBirth, Value::date_of(c.date_of_birth)),
        f(
            FactKey::Gender,
            c.gender.map_or(Value::Flag(None), |g| choice(g, lang)),
        ),
        f(
            FactKey::Address,
            Value::text_of(
                c.address
                    .as_ref()
                    .map(|a| format!("{}, {} {}", a.street, a.postcode, a.city)),
            ),
        ),
        f(FactKey::Phone, Value::text_of(c.phone.as_ref())),
        f(FactKey::Email, Value::text_of(c.email.as_ref())),
        f(
            FactKey::LetterLanguage,
            c.letter_language
                .map_or(Value::Missing, |l| choice(l, lang)),
        ),
    ]
}

fn referral(case: &Case, lang: Lang) -> Vec<Fact> {
    let f = |k, v| fact(k, lang, v);
    let r = &case.referral;
    vec![
        f(FactKey::Jobcenter, Value::Text(r.jobcenter.to_string())),
        f(
            FactKey::CaseManager,
            Value::Text(r.case_manager.to_string()),
        ),
        f(
            FactKey::CustomerNumber,
            Value::text_of(r.customer_number.as_ref()),
        ),
        f(FactKey::ReferralDate, Value::Date(r.referral_date)),
        f(FactKey::ReferralReason, choice(r.reason, lang)),
        f(FactKey::LegalBasis, choice(r.legal_basis, lang)),
        f(FactKey::ProblemAreas, choices(&r.problem_areas, lang)),
    ]
}

fn esf_entry(case: &Case, lang: Lang) -> Vec<Fact> {
    let f = |k, v| fact(k, lang, v);
    let Some(e) = &case.esf_entry else {
        return Vec::new();
    };
    vec![
        f(FactKey::EmploymentStatus, choice(e.employment_status, lang)),
        f(
            FactKey::LongTermUnemployed,
            Value::Flag(Some(e.long_term_unemployed)),
        ),
        f(FactKey::Education, choice(e.education, lang)),
        f(FactKey::Citizenship, choice(e.citizenship, lang)),
        f(FactKey::Disability, Value::Flag(e.disability)),
        f(
            FactKey::ForeignBackground,
            Value::Flag(e.foreign_background),
        ),
        f(FactKey::Minority, Value::Flag(e.minority)),
        f(FactKey::Homeless, Value::Flag(Some(e.homeless))),
        f(FactKey::RuralArea, Value::Flag(e.rural_area)),
    ]
}

fn closure(c: &Closure, lang: Lang) -> Vec<Fact> {
    let f = |k, v| fact(k, lang, v);
    vec![
        f(FactKey::ClosedOn, Value::Date(c.closed_on)),
        f(FactKey::ExitReason, choice(c.reason, lang)),
        f(
            FactKey::ImmediateResult,
            c.immediate_result
                .map_or(Value::Missing, |r| choice(r, lang)),
        ),
    ]
}

fn entry(id: Option<String>, facts: Vec<Fact>) -> Entry {
    Entry {
        id,
        facts,
        withheld: false,
    }
}

/// The entries of a listing (empty for fact sections); what a reader may not see is noted in
/// `withheld`.
pub(super) fn entries(
    key: SectionKey,
    case: &Case,
    view: &View<'_>,
    names: &dyn Names,
    withheld: &mut Vec<Withheld>,
) -> Vec<Entry> {
    let lang = view.lang;
    let f = |k, v| fact(k, lang, v);
    match key {
        SectionKey::Letters => case
            .announcements
            .iter()
            .map(|a| {
                entry(
                    None,
                    vec![
                        f(FactKey::LetterDate, Value::Date(a.letter_date)),
                        f(FactKey::VisitFrom, Value::Date(a.visit_from)),
                        f(FactKey::VisitUntil, Value::Date(a.visit_until)),
                        f(
                            FactKey::VisitHours,
                            Value::text_of(a.hours.map(|h| {
                                format!("{}–{}", h.start.format("%H:%M"), h.end.format("%H:%M"))
                            })),
                        ),
                    ],
                )
            })
            .collect(),
        SectionKey::Attempts => case
            .attempts
            .iter()
            .map(|a| {
                entry(
                    None,
                    vec![
                        f(FactKey::At, Value::Instant(a.at)),
                        f(FactKey::Channel, choice(a.channel, lang)),
                        f(FactKey::Outcome, choice(a.outcome, lang)),
                        f(FactKey::Staff, name(names.staff(a.staff))),
                    ],
                )
            })
            .collect(),
        SectionKey::Period => extensions(case, lang),
        SectionKey::Pauses => case
            .pauses
            .iter()
            .map(|p| {
                entry(
                    None,
                    vec![
                        f(FactKey::From, Value::Date(p.from)),
                        f(FactKey::Until, Value::date_of(p.until)),
                    ],
                )
            })
            .collect(),
        SectionKey::Consents => consents(case, view),
        SectionKey::SocialHistory => social_history(case, lang),
        SectionKey::Goals => goals(case, lang),
        SectionKey::Contacts => contacts(case, view, withheld),
        SectionKey::ReferralsOut => referrals_out(case, lang, names),
        SectionKey::SecrecyReleases => secrecy_releases(case, view, names),
        SectionKey::Disclosures => disclosures(case, lang, names),
        SectionKey::Handovers => case
            .handovers
            .iter()
            .map(|h| {
                entry(
                    None,
                    vec![
                        f(FactKey::Date, Value::Date(h.on)),
                        f(FactKey::Target, choice(h.target, lang)),
                        f(
                            FactKey::Responsible,
                            h.to.map_or(Value::Missing, |s| name(names.staff(s))),
                        ),
                        f(
                            FactKey::Before,
                            h.from.map_or(Value::Missing, |s| name(names.staff(s))),
                        ),
                        f(
                            FactKey::Note,
                            h.note
                                .as_ref()
                                .map_or(Value::Missing, |t| Value::Text(t.to_string())),
                        ),
                    ],
                )
            })
            .collect(),
        SectionKey::Attendance => {
            let mut records: Vec<_> = case.attendance.iter().collect();
            records.sort_by_key(|a| a.date);
            records
                .into_iter()
                .map(|a| {
                    entry(
                        None,
                        vec![
                            f(FactKey::Date, Value::Date(a.date)),
                            f(FactKey::Session, choice(a.kind, lang)),
                            f(FactKey::Attendance, choice(a.attendance, lang)),
                        ],
                    )
                })
                .collect()
        }
        SectionKey::PreviousClosures => case
            .previous_closures
            .iter()
            .map(|c| entry(None, closure(c, lang)))
            .collect(),
        SectionKey::SentReports => sent_reports(case, lang),
        SectionKey::Overview
        | SectionKey::Client
        | SectionKey::Referral
        | SectionKey::Enrolment
        | SectionKey::EsfEntry
        | SectionKey::Closure => Vec::new(),
    }
}

fn sent_reports(case: &Case, lang: Lang) -> Vec<Entry> {
    let f = |k, v| fact(k, lang, v);
    case.sent_reports
        .iter()
        .map(|r| {
            entry(
                Some(r.document.to_string()),
                vec![
                    f(FactKey::ReportKind, choice(r.kind, lang)),
                    f(FactKey::SentOn, Value::Date(r.sent_on)),
                    f(FactKey::Channel, choice(r.channel, lang)),
                    f(FactKey::SentTo, Value::Text(r.recipient.to_string())),
                    f(FactKey::AsOf, Value::Instant(r.as_of)),
                    f(FactKey::Sha256, Value::Text(r.sha256.to_string())),
                ],
            )
        })
        .collect()
}

fn extensions(case: &Case, lang: Lang) -> Vec<Entry> {
    let f = |k, v| fact(k, lang, v);
    let Some(p) = &case.period else {
        return Vec::new();
    };
    p.extensions()
        .iter()
        .map(|x| {
            entry(
                None,
                vec![
                    f(FactKey::DecidedOn, Value::Date(x.decided_on)),
                    f(FactKey::PreviousEnd, Value::Date(x.previous_end)),
                    f(FactKey::NewEnd, Value::Date(x.new_end)),
                    f(FactKey::Justification, Value::Text(x.reason.to_string())),
                ],
            )
        })
        .collect()
}

fn consents(case: &Case, view: &View<'_>) -> Vec<Entry> {
    let lang = view.lang;
    let f = |k, v| fact(k, lang, v);
    case.consents
        .iter()
        .map(|c| {
            entry(
                Some(c.id.to_string()),
                vec![
                    f(FactKey::Purpose, choice(c.purpose, lang)),
                    f(FactKey::Form, choice(c.form, lang)),
                    f(FactKey::GivenOn, Value::Date(c.given_on)),
                    f(
                        FactKey::WithdrawnAt,
                        c.withdrawn_at.map_or(Value::Missing, Value::Instant),
                    ),
                    f(
                        FactKey::InForce,
                        Value::Flag(Some(c.is_active_at(view.now))),
                    ),
                ],
            )
        })
        .collect()
}

fn social_history(case: &Case, lang: Lang) -> Vec<Entry> {
    let f = |k, v| fact(k, lang, v);
    case.social_history
        .iter()
        .map(|(d, a)| {
            entry(
                Some(d.key().to_owned()),
                vec![
                    f(FactKey::Domain, choice(*d, lang)),
                    f(FactKey::Need, choice(a.need, lang)),
                    f(FactKey::Priority, choice(a.priority, lang)),
                    f(FactKey::Source, choice(a.source, lang)),
                    f(FactKey::OwnView, Value::text_of(a.own_view.as_ref())),
                    f(FactKey::Strengths, Value::text_of(a.strengths.as_ref())),
                ],
            )
        })
        .collect()
}

fn goals(case: &Case, lang: Lang) -> Vec<Entry> {
    let f = |k, v| fact(k, lang, v);
    case.goals
        .iter()
        .map(|g| {
            let ratings = g
                .ratings
                .iter()
                .map(|r| RatingPoint {
                    on: r.on,
                    value: r.value.value(),
                })
                .collect();
            entry(
                Some(g.id.to_string()),
                vec![
                    f(FactKey::Domain, choice(g.domain, lang)),
                    f(FactKey::Wording, Value::Text(g.wording.to_string())),
                    f(FactKey::Criterion, Value::Text(g.criterion.to_string())),
                    f(FactKey::Responsible, choice(g.responsible, lang)),
                    f(FactKey::ReviewDate, Value::Date(g.review_date)),
                    f(FactKey::Status, choice(g.status, lang)),
                    f(FactKey::AgreedOn, Value::Date(g.agreed_on)),
                    f(FactKey::Ratings, Value::Ratings(ratings)),
                ],
            )
        })
        .collect()
}

fn contacts(case: &Case, view: &View<'_>, withheld: &mut Vec<Withheld>) -> Vec<Entry> {
    let mut out = Vec::new();
    for c in &case.contacts {
        let reason = withheld_reason(c, view.reader, view.medium);
        if let Some(reason) = reason {
            withheld.push(Withheld {
                section: SectionKey::Contacts,
                entry: Some(c.id.to_string()),
                reason,
                explanation: reason.label(view.lang),
            });
        }
        match reason {
            // A printout leaves the psychologist compartment out altogether.
            Some(WithheldReason::NotOnPaper) => {}
            Some(WithheldReason::PsychologistCompartment) => out.push(contact(c, view, true)),
            None => out.push(contact(c, view, false)),
        }
    }
    out
}

fn contact(c: &Contact, view: &View<'_>, hidden: bool) -> Entry {
    let lang = view.lang;
    let f = |k, v| fact(k, lang, v);
    let content = |v: Value| if hidden { Value::Withheld } else { v };
    Entry {
        id: Some(c.id.to_string()),
        facts: vec![
            f(FactKey::Date, Value::Date(c.date)),
            f(FactKey::Kind, content(choice(c.kind, lang))),
            f(
                FactKey::Minutes,
                Value::Number(u64::from(c.duration_minutes)),
            ),
            f(
                FactKey::Participants,
                content(Value::text_of(c.participants.as_ref())),
            ),
            f(FactKey::Topics, content(choices(&c.topics, lang))),
            f(
                FactKey::Agreements,
                content(Value::text_of(c.agreements.as_ref())),
            ),
            f(
                FactKey::NextSteps,
                content(Value::text_of(c.next_steps.as_ref())),
            ),
            f(FactKey::Note, content(Value::text_of(c.note.as_ref()))),
            f(FactKey::Compartment, choice(c.compartment, lang)),
        ],
        withheld: hidden,
    }
}

fn referrals_out(case: &Case, lang: Lang, names: &dyn Names) -> Vec<Entry> {
    let f = |k, v| fact(k, lang, v);
    case.referrals_out
        .iter()
        .map(|r| {
            let release = match &r.release {
                None => Value::Missing,
                Some(s) if s.withdrawn_on.is_some() => Value::Text(
                    match lang {
                        Lang::De => "widerrufen",
                        Lang::En => "withdrawn",
                    }
                    .to_owned(),
                ),
                Some(s) => Value::Text(format!(
                    "{} {} ({})",
                    match lang {
                        Lang::De => "bis",
                        Lang::En => "until",
                    },
                    super::date(s.valid_until, lang),
                    s.recipient
                )),
            };
            let passed_on = r
                .disclosures
                .iter()
                .map(|x| format!("{} {}", super::date(x.on, lang), x.information))
                .collect::<Vec<_>>();
            let details = names.service_details(r.service).unwrap_or_default();
            let text = |t: &Option<crate::text::Text>| {
                t.as_ref()
                    .map_or(Value::Missing, |t| Value::Text(t.to_string()))
            };
            entry(
                Some(r.id.to_string()),
                vec![
                    f(FactKey::Service, name(names.service(r.service))),
                    f(FactKey::Kind, choice(r.kind, lang)),
                    f(FactKey::MadeOn, Value::Date(r.created_on)),
                    f(FactKey::Status, choice(r.status, lang)),
                    f(FactKey::Since, Value::Date(r.status_since)),
                    f(FactKey::ContactPerson, text(&r.contact_person)),
                    f(FactKey::Note, text(&r.note)),
                    f(FactKey::Address, text(&details.address)),
                    f(FactKey::Phone, text(&details.phone)),
                    f(FactKey::Email, text(&details.email)),
                    f(FactKey::OpeningHours, text(&details.opening_hours)),
                    f(FactKey::SecrecyRelease, release),
                    f(
                        FactKey::PassedOn,
                        if passed_on.is_empty() {
                            Value::Missing
                        } else {
                            Value::Text(passed_on.join("; "))
                        },
                    ),
                ],
            )
        })
        .collect()
}

fn secrecy_releases(case: &Case, view: &View<'_>, names: &dyn Names) -> Vec<Entry> {
    let lang = view.lang;
    let f = |k, v| fact(k, lang, v);
    let today = view.now.date_naive();
    case.referrals_out
        .iter()
        .filter_map(|r| r.release.as_ref().map(|s| (r, s)))
        .map(|(r, s)| {
            entry(
                Some(r.id.to_string()),
                vec![
                    f(FactKey::Service, name(names.service(r.service))),
                    f(FactKey::Recipient, Value::Text(s.recipient.to_string())),
                    f(FactKey::Information, Value::Text(s.information.to_string())),
                    f(FactKey::Purpose, Value::Text(s.purpose.to_string())),
                    f(FactKey::Direction, choice(s.direction, lang)),
                    f(FactKey::GivenOn, Value::Date(s.given_on)),
                    f(FactKey::ValidUntil, Value::Date(s.valid_until)),
                    f(FactKey::WithdrawnOn, Value::date_of(s.withdrawn_on)),
                    f(FactKey::InForce, Value::Flag(Some(s.is_valid_on(today)))),
                ],
            )
        })
        .collect()
}

fn disclosures(case: &Case, lang: Lang, names: &dyn Names) -> Vec<Entry> {
    let f = |k, v| fact(k, lang, v);
    case.referrals_out
        .iter()
        .flat_map(|r| r.disclosures.iter().map(move |x| (r, x)))
        .map(|(r, x)| {
            entry(
                Some(r.id.to_string()),
                vec![
                    f(FactKey::Service, name(names.service(r.service))),
                    f(FactKey::Date, Value::Date(x.on)),
                    f(FactKey::Information, Value::Text(x.information.to_string())),
                ],
            )
        })
        .collect()
}

/// The sentences of a section (see [`super::Section::lines`]).
pub(super) fn lines(key: SectionKey, case: &Case, lang: Lang) -> Vec<String> {
    let d = |day| super::date(day, lang);
    match key {
        SectionKey::Pauses => case
            .pauses
            .iter()
            .map(|p| match (p.until, lang) {
                (Some(until), _) => format!("Pause: {} – {}", d(p.from), d(until)),
                (None, Lang::De) => format!(
                    "Teilnahme pausiert seit {} (kein Nachteil; das geplante Ende bleibt)",
                    d(p.from)
                ),
                (None, Lang::En) => format!(
                    "Participation paused since {} (no disadvantage; the planned end stays)",
                    d(p.from)
                ),
            })
            .collect(),
        _ => Vec::new(),
    }
}

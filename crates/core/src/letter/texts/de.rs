//! The German original of the standard letter: every translation follows it sentence by sentence.

use super::{Texts, TranslationReview};

pub(crate) const TEXTS: Texts = Texts {
    review: TranslationReview::Reviewed {
        by: "Projektteam (Original)",
        on: "2026-12-04",
    },
    native_name: "Deutsch",
    rtl: false,
    heading: "Übersetzung",
    binding: "Rechtlich verbindlich ist nur der deutsche Text.",
    subject: "Ankündigung eines Hausbesuchs",
    greeting: "Guten Tag {name},",
    intro: "wir sind ein Beratungsangebot für Menschen, die sich Unterstützung in ihrer Lebenslage wünschen. Wir möchten Sie gern persönlich kennenlernen und Ihnen unser Angebot vorstellen: Wir hören zu, beraten und begleiten Sie bei dem, was Ihnen wichtig ist.",
    visit: "Dafür möchten wir Sie in der Zeit vom {from} bis zum {until} einmal zu Hause besuchen.",
    visit_hours: "Dafür möchten wir Sie in der Zeit vom {from} bis zum {until} einmal zu Hause besuchen, jeweils zwischen {start} und {end} Uhr.",
    voluntary: "Die Teilnahme an unserem Angebot ist freiwillig.",
    door: "Ob wir Ihre Wohnung betreten, entscheiden allein Sie. Gern sprechen wir auch an der Tür oder treffen uns an einem anderen Ort, den Sie wählen.",
    decline: "Wenn Sie keinen Besuch möchten oder ein anderer Zeitpunkt besser passt, sagen Sie uns bitte Bescheid – ein kurzer Anruf, eine E-Mail oder ein Brief genügt. Eine Begründung ist nicht nötig.",
    reach_direct: "Sie erreichen mich direkt unter {phone}, das Projekt unter: {contact}",
    reach_project: "So erreichen Sie uns: {contact}",
    privacy_heading: "Datenschutz",
    privacy: "Ihren Namen und Ihre Anschrift hat uns das Jobcenter mitgeteilt, das Ihnen dieses Angebot vermittelt. Wir verwenden sie nur, um Ihnen das Angebot zu machen. Was Sie uns anvertrauen, geben wir ohne Ihre Einwilligung nicht weiter. Welche Daten wir speichern, wie lange wir sie aufbewahren und welche Rechte Sie haben (Auskunft, Berichtigung, Löschung, Beschwerde bei der Datenschutz-Aufsichtsbehörde), erklären wir Ihnen gern.",
    closing: "Mit freundlichen Grüßen",
};

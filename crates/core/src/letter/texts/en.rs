//! English (also the text of the English-only letter).

use super::{Texts, TranslationReview};

pub(crate) const TEXTS: Texts = Texts {
    review: TranslationReview::Unreviewed,
    native_name: "English",
    rtl: false,
    heading: "Translation",
    binding: "Only the German text is legally binding.",
    subject: "Announcement of a home visit",
    greeting: "Hello {name},",
    intro: "we are a counselling service for people who would like support in their situation. We would like to meet you in person and introduce our offer: we listen, advise and accompany you in what matters to you.",
    visit: "For this we would like to visit you at home once between {from} and {until}.",
    visit_hours: "For this we would like to visit you at home once between {from} and {until}, at a time between {start} and {end}.",
    voluntary: "Taking part in our offer is voluntary.",
    door: "You alone decide whether we enter your home. We are just as glad to talk at the door or to meet at another place of your choice.",
    decline: "If you do not want a visit, or another time suits you better, please let us know – a short call, an e-mail or a letter is enough. You do not need to give a reason.",
    reach_direct: "You can reach me directly on {phone}, the project at: {contact}",
    reach_project: "How to reach us: {contact}",
    privacy_heading: "Data protection",
    privacy: "The Jobcenter that refers you to this offer gave us your name and address. We use them only to make you this offer. What you tell us we do not pass on without your consent. We are glad to explain which data we keep, for how long, and your rights (access, correction, erasure, complaint to the data-protection authority).",
    closing: "Kind regards",
};

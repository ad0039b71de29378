//! Romanian.

use super::{Texts, TranslationReview};

pub(crate) const TEXTS: Texts = Texts {
    review: TranslationReview::Unreviewed,
    native_name: "Română",
    rtl: false,
    heading: "Traducere",
    binding: "Doar textul în limba germană este obligatoriu din punct de vedere juridic.",
    subject: "Anunțarea unei vizite la domiciliu",
    greeting: "Bună ziua, {name},",
    intro: "suntem un serviciu de consiliere pentru persoanele care își doresc sprijin în situația lor de viață. Ne-ar plăcea să vă cunoaștem personal și să vă prezentăm oferta noastră: vă ascultăm, vă sfătuim și vă însoțim în ceea ce este important pentru dumneavoastră.",
    visit: "Pentru aceasta, am dori să vă vizităm o dată acasă în perioada {from} – {until}.",
    visit_hours: "Pentru aceasta, am dori să vă vizităm o dată acasă în perioada {from} – {until}, între orele {start} și {end}.",
    voluntary: "Participarea la oferta noastră este voluntară.",
    door: "Doar dumneavoastră decideți dacă intrăm în locuința dumneavoastră. Putem vorbi la fel de bine și la ușă sau ne putem întâlni în alt loc, ales de dumneavoastră.",
    decline: "Dacă nu doriți o vizită sau vă convine mai bine alt moment, vă rugăm să ne anunțați – este suficient un scurt telefon, un e-mail sau o scrisoare. Nu este nevoie să oferiți un motiv.",
    reach_direct: "Mă puteți contacta direct la {phone}, iar proiectul la: {contact}",
    reach_project: "Cum ne puteți contacta: {contact}",
    privacy_heading: "Protecția datelor",
    privacy: "Numele și adresa dumneavoastră ne-au fost comunicate de Jobcenter, care vă recomandă această ofertă. Le folosim doar pentru a vă face această ofertă. Ceea ce ne încredințați nu transmitem mai departe fără consimțământul dumneavoastră. Vă explicăm cu plăcere ce date păstrăm, cât timp le păstrăm și ce drepturi aveți (acces, rectificare, ștergere, plângere la autoritatea de supraveghere a protecției datelor).",
    closing: "Cu stimă",
};

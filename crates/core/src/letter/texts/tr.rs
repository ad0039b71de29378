//! Turkish.

use super::{Texts, TranslationReview};

pub(crate) const TEXTS: Texts = Texts {
    review: TranslationReview::Unreviewed,
    native_name: "Türkçe",
    rtl: false,
    heading: "Çeviri",
    binding: "Yalnızca Almanca metin hukuken bağlayıcıdır.",
    subject: "Ev ziyareti duyurusu",
    greeting: "Merhaba {name},",
    intro: "biz, yaşam durumlarında destek almak isteyen kişiler için bir danışmanlık hizmetiyiz. Sizinle şahsen tanışmak ve size hizmetimizi tanıtmak istiyoruz: Sizi dinliyor, size danışmanlık yapıyor ve sizin için önemli olan konularda size eşlik ediyoruz.",
    visit: "Bu amaçla sizi {from} ile {until} tarihleri arasında bir kez evinizde ziyaret etmek istiyoruz.",
    visit_hours: "Bu amaçla sizi {from} ile {until} tarihleri arasında, saat {start} ile {end} arasında bir kez evinizde ziyaret etmek istiyoruz.",
    voluntary: "Hizmetimize katılım gönüllülük esasına dayanır.",
    door: "Evinize girip girmeyeceğimize yalnızca siz karar verirsiniz. Kapıda konuşmaktan ya da seçeceğiniz başka bir yerde buluşmaktan da memnuniyet duyarız.",
    decline: "Ziyaret istemiyorsanız veya başka bir zaman size daha uygunsa lütfen bize haber verin – kısa bir telefon, bir e-posta ya da bir mektup yeterlidir. Bir neden belirtmeniz gerekmez.",
    reach_direct: "Bana doğrudan {phone} numarasından, projeye ise şu şekilde ulaşabilirsiniz: {contact}",
    reach_project: "Bize şu şekilde ulaşabilirsiniz: {contact}",
    privacy_heading: "Veri koruma",
    privacy: "Adınızı ve adresinizi, sizi bu hizmete yönlendiren Jobcenter bize bildirdi. Bunları yalnızca size bu hizmeti sunmak için kullanıyoruz. Bize emanet ettiklerinizi onayınız olmadan başkalarına iletmiyoruz. Hangi verileri sakladığımızı, ne kadar süreyle sakladığımızı ve hangi haklara sahip olduğunuzu (bilgi alma, düzeltme, silme, veri koruma denetim makamına şikâyet) size memnuniyetle açıklarız.",
    closing: "Saygılarımızla",
};

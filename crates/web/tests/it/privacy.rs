//! Handler tests of data protection: consents given again after a withdrawal.

use axum::http::StatusCode;
use wegbereiter_core::prelude::*;

use crate::helpers::TestApp;

/// The options of the purpose select of "Weitere Einwilligung erfassen".
fn purpose_options(body: &str) -> String {
    let start = body
        .find(r#"id="con-p""#)
        .expect("the consent form's purpose select");
    let rest = &body[start..];
    let end = rest.find("</select>").expect("end of the select");
    rest[..end].to_owned()
}

#[tokio::test]
async fn a_withdrawn_processing_consent_can_be_given_again_in_the_web() {
    let app = TestApp::seeded().await;
    let id = app.seed.own;
    let mut c = app.login("erika").await;
    let page = c.get(&format!("/cases/{id}/enrolment")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !purpose_options(&page.body).contains(r#"value="case_processing""#),
        "in force: not offered again"
    );
    let case = app.case(id).await;
    let processing = case
        .consents
        .iter()
        .find(|c| c.purpose == ConsentPurpose::CaseProcessing)
        .unwrap()
        .id
        .to_string();
    let v = case.version.to_string();
    let res = c
        .post(
            &format!("/cases/{id}/enrolment/withdraw"),
            &[("version", &v), ("consent", &processing)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = c.get(&format!("/cases/{id}/enrolment")).await;
    assert!(
        purpose_options(&page.body).contains(r#"value="case_processing""#),
        "{}",
        purpose_options(&page.body)
    );
    let v = app.case(id).await.version.to_string();
    let today = app.local_now().date_naive().to_string();
    let res = c
        .post(
            &format!("/cases/{id}/enrolment/consent"),
            &[
                ("version", &v),
                ("purpose", "case_processing"),
                ("consent_form", "written"),
                ("given_on", &today),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let case = app.case(id).await;
    let processing: Vec<_> = case
        .consents
        .iter()
        .filter(|c| c.purpose == ConsentPurpose::CaseProcessing)
        .collect();
    assert_eq!(
        processing.len(),
        2,
        "the withdrawn one stays in the history"
    );
    assert!(processing[0].withdrawn_at.is_some() && processing[1].withdrawn_at.is_none());
    assert!(case.has_active_consent(ConsentPurpose::CaseProcessing, app.local_now()));
}

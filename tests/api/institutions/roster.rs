//! Offline classes: roster upload with row errors, hours capped and credited once, statistics.
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use reqwest::{StatusCode, multipart};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use xueshi::entities::outbox;

use super::fixtures::*;
use crate::both_backends;
use crate::helpers::*;

async fn upload(app: &TestApp, token: &str, class_id: i64, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = multipart::Form::new().part("file", multipart::Part::bytes(bytes).file_name(name.to_owned()));
    app.anon
        .post(app.url(&format!("/api/v1/offline-classes/{class_id}/roster")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn xlsx(rows: &[[&str; 2]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *text).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn roster_hours_and_statistics(backend: Backend) {
    let app = spawn_app(backend).await;
    let w = world(&app).await;
    let year = plan_year(&app);
    let (_, class_id) = approved_plan(&app, &w, year).await;
    let ids: Vec<String> = (701..=703).map(id_number).collect();
    let mut tokens = Vec::new();
    for id in &ids {
        tokens.push(app.user_token(id, "learner", Some(w.employer)).await);
    }
    let mut wrong_check = id_number(704);
    wrong_check.replace_range(17.., if wrong_check.ends_with('0') { "1" } else { "0" });
    let bad = format!(
        "身份证号,姓名\n{},测试用户\n{wrong_check},赵六\n{},钱七\n{},王五\n{},测试用户\n",
        ids[0],
        id_number(799),
        ids[1],
        ids[0]
    );
    let r = upload(&app, &w.base_token, class_id, "花名册.csv", bad.into_bytes()).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_roster", "{body}");
    let rows: Vec<_> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["row"].as_u64().unwrap(), d["code"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (3, "invalid_id_number".into()),
            (4, "unknown_id_number".into()),
            (5, "name_mismatch".into()),
            (6, "duplicate".into())
        ]
    );
    assert_eq!(
        body["error"]["details"][1]["id_number"],
        format!("{}********{}", &id_number(799)[..6], &id_number(799)[14..])
    );
    let roster: Value =
        app.get(&format!("/api/v1/offline-classes/{class_id}/roster"), Some(&w.base_token)).await.json().await.unwrap();
    assert_eq!(roster["people"], json!([]), "nothing imported from a bad file");

    // CSV first, then the .xlsx replaces it.
    let csv = format!("姓名,身份证号\n测试用户,{}\n", ids[0]);
    let r = upload(&app, &w.base_token, class_id, "roster.csv", csv.into_bytes()).await;
    assert_eq!(r.json::<Value>().await.unwrap()["people"], 1);
    let sheet = xlsx(&[["身份证号", "姓名"], [&ids[0], "测试用户"], [&ids[1], "测试用户"], [&ids[2], "测试用户"]]);
    let r = upload(&app, &w.base_token, class_id, "roster.xlsx", sheet).await;
    assert_eq!(r.json::<Value>().await.unwrap()["people"], 3);
    let r = upload(&app, &w.base_token, class_id, "roster.xlsx", b"PK\x03\x04 not really".to_vec()).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_roster".into()));

    let attend = |entries: Value| {
        let app = &app;
        let token = w.base_token.clone();
        async move {
            app.post(
                &format!("/api/v1/offline-classes/{class_id}/attendance"),
                Some(&token),
                json!({"attendance": entries}),
            )
            .await
        }
    };
    let entries = json!([{"id_number": ids[0], "hours": 30.0}, {"id_number": ids[1], "hours": 10.0}, {"id_number": ids[2], "hours": 0}]);
    assert_eq!(error_code(attend(entries.clone()).await).await, (StatusCode::CONFLICT, "class_not_ended".into()));
    move_clock_to(&app, NaiveDate::from_ymd_opt(year, 3, 3).unwrap());
    let r = attend(json!([{"id_number": id_number(799), "hours": 8}])).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["code"], "not_on_roster");

    let out: Value = attend(entries).await.json().await.unwrap();
    assert_eq!((out["max_hours"].as_f64(), out["credited"].as_u64()), (Some(24.0), Some(2)), "{out}");
    assert_eq!(
        out["records"][0],
        json!({"learner_id": learner_id(&app, &tokens[0]).await, "hours": 24.0, "capped": true, "credited": true})
    );
    // Recorded again (a retry, or a change of mind): nothing is credited twice.
    let again: Value = attend(json!([{"id_number": ids[0], "hours": 20.0}, {"id_number": ids[1], "hours": 10.0}]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((again["credited"].as_u64(), again["already_credited"].as_u64()), (Some(0), Some(2)));
    assert_eq!(again["records"][0]["hours"], 24.0);
    for (token, hours) in [(&tokens[0], 24.0), (&tokens[1], 10.0), (&tokens[2], 0.0)] {
        let a: Value = app.get(&format!("/api/v1/me/archive?year={year}"), Some(token)).await.json().await.unwrap();
        assert_eq!(a["professional_hours"], hours);
        assert_eq!(a["records"].as_array().unwrap().len(), usize::from(hours > 0.0));
    }
    let sheet = xlsx(&[["身份证号", "姓名"], [&ids[0], "测试用户"]]);
    let r = upload(&app, &w.base_token, class_id, "roster.xlsx", sheet).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "attendance_recorded".into()));
    let credits =
        outbox::Entity::find().filter(outbox::Column::Kind.eq("credit")).count(&app.app_state.db).await.unwrap();
    assert_eq!(credits, 2, "each new credit is queued for the province once");

    // Statistics by field (Yantai annexes 3 and 4), in JSON and in the annex's .xlsx.
    let stats: Value = app
        .get(&format!("/api/v1/statistics/knowledge-update?year={year}"), Some(&w.hr_token))
        .await
        .json()
        .await
        .unwrap();
    let fields = stats["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 27);
    assert_eq!(
        fields[0],
        json!({"field": "equipment_manufacturing", "name": "装备制造", "planned_classes": 1,
        "classes": 1, "persons": 2, "person_times": 2, "hours": 34.0})
    );
    assert_eq!((stats["total"]["persons"].as_u64(), stats["total"]["hours"].as_f64()), (Some(2), Some(34.0)));
    let other: Value = app
        .get(&format!("/api/v1/statistics/knowledge-update?year={year}"), Some(&w.other_hr_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other["total"]["classes"], 0, "another region's bureau sees none of it");
    let r = app.get(&format!("/api/v1/statistics/knowledge-update?year={year}&format=xlsx"), Some(&w.hr_token)).await;
    assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = r.bytes().await.unwrap();
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let text = |r: u32, c: u32| sheet.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default();
    assert!(text(0, 0).starts_with("专业技术人才知识更新工程实施情况统计表"));
    assert_eq!(text(1, 0), "填报单位：威海市人社局");
    assert_eq!((text(2, 1), text(2, 2), text(3, 4)), ("领域".into(), "今年任务完成情况".into(), "培训人数".into()));
    assert_eq!(text(4, 1), "装备制造");
    assert_eq!(sheet.get_value((4, 6)), Some(&Data::Float(34.0)));
    assert_eq!(text(31, 1), "合计");
}
both_backends!(roster_attendance_and_statistics, roster_hours_and_statistics);

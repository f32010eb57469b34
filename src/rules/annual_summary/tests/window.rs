use super::*;

fn compliant_year(year: i32) -> AnnualSummary {
    let credits =
        if policy().uses_credit_system(year) { vec![offline_class(Professional, 20.0)] } else { weihai_year() };
    summarize(&policy(), year, &credits)
}

fn years_of(window: &TitleWindow) -> Vec<i32> {
    window.years.iter().map(|row| row.year).collect()
}

#[test]
fn applying_in_2023_looks_at_2019_to_2023() {
    let summaries: Vec<AnnualSummary> = (2015..=2024).map(compliant_year).collect();
    let window = five_year_window(&policy(), 2023, None, &summaries);
    assert_eq!(years_of(&window), vec![2019, 2020, 2021, 2022, 2023]);
    assert_eq!(window.from_year, 2019);
    assert_eq!(window.until_year, 2023);
    assert!(window.years[0].credit_system, "2019 is judged in credits");
    assert!(!window.years[1].credit_system);
    assert!(window.all_compliant);
}

#[test]
fn a_shorter_career_looks_at_its_own_years() {
    let cases = [
        (Some(2021), vec![2021, 2022, 2023]),
        (Some(2023), vec![2023]),
        (Some(2010), vec![2019, 2020, 2021, 2022, 2023]),
        (None, vec![2019, 2020, 2021, 2022, 2023]),
    ];
    for (career_start, expected) in cases {
        let years: Vec<i32> = window_years(&policy(), 2023, career_start).collect();
        assert_eq!(years, expected, "{career_start:?}");
    }
}

#[test]
fn one_missing_or_short_year_fails_the_window() {
    let mut summaries: Vec<AnnualSummary> = (2019..=2023).map(compliant_year).collect();
    summaries.retain(|summary| summary.year != 2021);
    let window = five_year_window(&policy(), 2023, None, &summaries);
    assert_eq!(years_of(&window), vec![2019, 2020, 2021, 2022, 2023]);
    assert!(!window.years[2].compliant);
    assert_eq!(window.years[2].total_hours, 0.0);
    assert!(!window.all_compliant);

    summaries.push(summarize(&policy(), 2021, &[offline_class(Professional, 60.0)]));
    let window = five_year_window(&policy(), 2023, None, &summaries);
    assert_eq!(window.years[2].professional_hours, 60.0);
    assert!(!window.all_compliant);

    let window = five_year_window(&policy(), 2023, Some(2022), &summaries);
    assert!(window.all_compliant, "2021 is before the career started");
}

#[test]
fn a_career_starting_after_the_year_has_an_empty_window() {
    let window = five_year_window(&policy(), 2023, Some(2024), &[]);
    assert!(window.years.is_empty());
    assert!(!window.all_compliant);
}

#[test]
fn the_window_length_is_policy() {
    let mut three_years = policy();
    three_years.title_window_years = 3;
    let years: Vec<i32> = window_years(&three_years, 2023, None).collect();
    assert_eq!(years, vec![2021, 2022, 2023]);
}

//! The table printed at the end: per operation, requests, failures, req/s, p50 and p99.

use std::time::Duration;

use goose::metrics::GooseMetrics;

pub fn print(scenario: &str, metrics: &GooseMetrics, wall: Duration) {
    let seconds = (metrics.duration.max(1)) as f64;
    println!(
        "\n{scenario}: {} users, {:.0} s of load ({:.0} s in all)",
        metrics.maximum_users,
        seconds,
        wall.as_secs_f64()
    );
    println!("{:<16} {:>9} {:>7} {:>9} {:>9} {:>9}", "operation", "requests", "errors", "req/s", "p50 ms", "p99 ms");
    let mut names: Vec<&String> = metrics.requests.keys().collect();
    names.sort();
    let (mut total, mut errors) = (0, 0);
    for name in names {
        let request = &metrics.requests[name];
        let count = request.success_count + request.fail_count;
        let ms = |percent: f32| request.raw_data.percentile_us(percent) as f64 / 1000.0;
        println!(
            "{:<16} {:>9} {:>7} {:>9.1} {:>9.1} {:>9.1}",
            name.split_whitespace().last().unwrap_or(name),
            count,
            request.fail_count,
            count as f64 / seconds,
            ms(0.50),
            ms(0.99)
        );
        total += count;
        errors += request.fail_count;
    }
    println!("{:<16} {:>9} {:>7} {:>9.1}", "all", total, errors, total as f64 / seconds);
    println!("SUMMARY requests={total} errors={errors}");
}

//! Tera templates of the HTML pages. Loaded from `templates/` when the process runs where that
//! directory is (edit without rebuilding); the built-in copies fill in whatever is missing, so
//! the binary works from any directory.
use std::path::Path;

const DIR: &str = "templates";
const BUILT_IN: &[(&str, &str)] = &[
    ("certificate.html", include_str!("../templates/certificate.html")),
    ("verify.html", include_str!("../templates/verify.html")),
];

pub fn load() -> anyhow::Result<tera::Tera> {
    let mut tera =
        if Path::new(DIR).is_dir() { tera::Tera::new(&format!("{DIR}/**/*"))? } else { tera::Tera::default() };
    let present: Vec<String> = tera.get_template_names().map(str::to_owned).collect();
    for (name, body) in BUILT_IN {
        if !present.iter().any(|p| p == name) {
            tera.add_raw_template(name, body)?;
        }
    }
    Ok(tera)
}

//! The fixed list of knowledge-update fields (知识更新工程领域), in the order of Yantai 2020
//! annex 3 (专业技术人才知识更新工程实施情况统计表). Classes name one; statistics list all.

/// `(code, 中文名)`: the API speaks codes, the annex and the pages show the names.
pub const FIELDS: [(&str, &str); 27] = [
    ("equipment_manufacturing", "装备制造"),
    ("information", "信息"),
    ("biotechnology", "生物技术"),
    ("new_materials", "新材料"),
    ("marine", "海洋"),
    ("finance", "金融"),
    ("ecological_protection", "生态环保"),
    ("energy_saving_new_energy", "节能与新能源"),
    ("new_medicine", "新医药"),
    ("modern_agriculture", "现代农业"),
    ("social_work", "社会工作"),
    ("modern_logistics", "现代物流"),
    ("business_services", "商务服务"),
    ("legal_services", "律师公证及法律服务"),
    ("accounting", "会计"),
    ("intellectual_property", "知识产权"),
    ("food_safety", "食品安全"),
    ("tourism", "旅游"),
    ("urban_planning", "城市规划建设管理"),
    ("education", "教育"),
    ("publicity_culture", "宣传文化"),
    ("health", "卫生"),
    ("sports", "体育"),
    ("research", "研发"),
    ("elderly_care", "养老"),
    ("hr_services", "人力资源服务"),
    ("other_services", "其他现代服务业"),
];

/// The code of a field given as its code or its Chinese name.
pub fn parse(input: &str) -> Option<&'static str> {
    let input = input.trim();
    FIELDS.iter().find(|(code, name)| *code == input || *name == input).map(|(code, _)| *code)
}

/// The Chinese name of a field code (the code itself for an unknown one).
pub fn name_of(code: &str) -> &str {
    FIELDS.iter().find(|(c, _)| *c == code).map_or(code, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_both_parse() {
        assert_eq!(parse("装备制造"), Some("equipment_manufacturing"));
        assert_eq!(parse(" marine "), Some("marine"));
        assert_eq!(parse("炼金术"), None);
        assert_eq!(name_of("modern_agriculture"), "现代农业");
    }

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes: Vec<_> = FIELDS.iter().map(|(c, _)| c).collect();
        let mut names: Vec<_> = FIELDS.iter().map(|(_, n)| n).collect();
        codes.sort();
        codes.dedup();
        names.sort();
        names.dedup();
        assert_eq!((codes.len(), names.len()), (FIELDS.len(), FIELDS.len()));
    }
}

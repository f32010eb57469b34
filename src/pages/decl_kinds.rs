//! How the declaration form presents each kind of declaration (申报类型): its Chinese name
//! and the fields it asks for. What the fields are worth is the rules' business, not this.
use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Serialize)]
pub struct Kind {
    pub key: &'static str,
    pub label: &'static str,
}

pub const KINDS: [Kind; 13] = [
    Kind { key: "training", label: "岗位培训、急需紧缺人才培训、高级研修" },
    Kind { key: "conference", label: "学术会议、专题讲座、实训实操、技术推广" },
    Kind { key: "expert_service", label: "受邀专家服务（评审、阅卷等）" },
    Kind { key: "study_visit", label: "业务进修、出国（境）学习考察" },
    Kind { key: "self_study", label: "自学考试、在职学历教育、课程班" },
    Kind { key: "achievement", label: "科研成果、专利、标准、论文、著作" },
    Kind { key: "qualification_exam", label: "职业资格考试" },
    Kind { key: "foreign_language_exam", label: "职称外语考试" },
    Kind { key: "computer_exam", label: "计算机应用能力考试" },
    Kind { key: "contest", label: "技能竞赛、技术比武" },
    Kind { key: "aid_assignment", label: "援派、支教、支农、支医、扶贫" },
    Kind { key: "long_leave", label: "境外工作、病假超过 6 个月、产假" },
    Kind { key: "pandemic_frontline", label: "新冠疫情防控一线" },
];

/// A kind-specific input of the form, and the kinds that ask for it.
#[derive(Serialize)]
pub struct KindField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub kinds: &'static str,
}

const HOURS_KINDS: &str = "training conference expert_service";

pub const FIELDS: [KindField; 9] = [
    KindField {
        name: "category",
        label: "科目类别",
        hint: "公需科目或专业科目",
        kinds: "training conference expert_service study_visit self_study achievement qualification_exam contest",
    },
    KindField { name: "days", label: "天数", hint: "实际参加的天数", kinds: HOURS_KINDS },
    KindField {
        name: "hours",
        label: "学时",
        hint: "实际学时，最多一位小数；每天最多认定 8 学时",
        kinds: "training conference expert_service contest",
    },
    KindField {
        name: "months", label: "月数", hint: "本年度内的月数（1–12）", kinds: "aid_assignment long_leave"
    },
    KindField {
        name: "reference",
        label: "成果编号",
        hint: "专利号、论文 DOI、ISBN 或标准号；同一成果只能申报一次",
        kinds: "achievement",
    },
    KindField {
        name: "subjects",
        label: "考试科目数",
        hint: "注册类考试按科目计算，可不填（按 1 科）",
        kinds: "qualification_exam",
    },
    KindField { name: "level", label: "考试级别", hint: "A、B 或 C 级", kinds: "foreign_language_exam" },
    KindField {
        name: "score", label: "考试成绩", hint: "百分制成绩，须达到合格线", kinds: "foreign_language_exam"
    },
    KindField {
        name: "modules", label: "通过模块数", hint: "每个模块按规定折算学时", kinds: "computer_exam"
    },
];

/// Kind key -> Chinese name, for lists and details.
/// The annual review is asked for from the certificates page, not this form, but lists show it.
pub fn labels() -> BTreeMap<&'static str, &'static str> {
    let mut labels: BTreeMap<_, _> = KINDS.iter().map(|k| (k.key, k.label)).collect();
    labels.insert("annual_review", "年度学时审验");
    labels
}

/// Review level -> who decides there, in Chinese.
pub fn level_labels() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([("employer", "用人单位"), ("department", "主管部门"), ("hr_bureau", "人社局")])
}

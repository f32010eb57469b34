use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub login_key: String,
    pub username: Option<String>,
    /// AES-GCM ciphertext of the resident ID number (身份证号); learners only.
    pub id_number_enc: Option<String>,
    pub id_number_hmac: Option<String>,
    pub name: String,
    pub phone: Option<String>,
    pub role: String,
    pub org_id: Option<i32>,
    pub password_hash: String,
    pub must_change_password: bool,
    /// Bumped on password change, logout and disabling: older tokens stop working.
    pub token_version: i32,
    pub disabled: bool,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Organisation scope: a reviewer sees only what lies inside their own organisation subtree
//! (or, for an HR bureau, its region). This is a security boundary: services call these before
//! returning anything, and answer 404 (not 403) for things outside it.
use std::collections::HashSet;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{
    auth::{AuthUser, Role},
    entities::org,
    error::AppResult,
};

/// Longest parent chain we follow; deeper trees are a data error, never an infinite loop.
const MAX_DEPTH: usize = 16;

/// Is `target` the same as `root` or below it?
pub async fn is_within(db: &impl ConnectionTrait, root: i32, target: i32) -> AppResult<bool> {
    let mut current = Some(target);
    for _ in 0..MAX_DEPTH {
        match current {
            Some(id) if id == root => return Ok(true),
            Some(id) => current = org::Entity::find_by_id(id).one(db).await?.and_then(|o| o.parent_id),
            None => return Ok(false),
        }
    }
    Ok(false)
}

/// All organisation ids a reviewer may see: their subtree, plus their region for an HR bureau.
pub async fn visible_orgs(db: &impl ConnectionTrait, user: &AuthUser) -> AppResult<HashSet<i32>> {
    let Some(root) = user.org_id else {
        return Ok(HashSet::new());
    };
    let all: Vec<(i32, Option<i32>, String)> = org::Entity::find()
        .select_only()
        .columns([org::Column::Id, org::Column::ParentId, org::Column::Region])
        .into_tuple()
        .all(db)
        .await?;
    let mut seen: HashSet<i32> = HashSet::from([root]);
    if user.role == Role::HrAdmin
        && let Some((_, _, region)) = all.iter().find(|(id, _, _)| *id == root)
    {
        seen.extend(all.iter().filter(|(_, _, r)| r == region).map(|(id, _, _)| *id));
    }
    // Close over children until nothing changes (trees are shallow).
    loop {
        let before = seen.len();
        for (id, parent, _) in &all {
            if parent.is_some_and(|p| seen.contains(&p)) {
                seen.insert(*id);
            }
        }
        if seen.len() == before {
            return Ok(seen);
        }
    }
}

/// May `user` see data of a learner who belongs to `learner_org`?
pub async fn can_see_org(db: &impl ConnectionTrait, user: &AuthUser, learner_org: Option<i32>) -> AppResult<bool> {
    match (user.role, learner_org) {
        (Role::PlatformAdmin, _) => Ok(true),
        (r, Some(target)) if r.is_reviewer() => Ok(visible_orgs(db, user).await?.contains(&target)),
        _ => Ok(false),
    }
}

/// Employers under a set of organisations, for report queries.
pub async fn employers_in(db: &impl ConnectionTrait, ids: &HashSet<i32>) -> AppResult<Vec<org::Model>> {
    Ok(org::Entity::find()
        .filter(org::Column::Id.is_in(ids.iter().copied()))
        .filter(org::Column::Kind.eq("employer"))
        .all(db)
        .await?)
}

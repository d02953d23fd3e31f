//! [`MemoryTokenStore`]: tokens kept in this process.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use super::{AccessToken, BlockingTokenStore, RefreshLock, TokenKey, TokenStore};
use crate::error::StoreError;

/// Keeps tokens in memory, with one refresh lock per key.
///
/// The default store of every client. One store may serve any number of async and blocking
/// clients at once (share it with an `Arc`): clients with the same credentials then share the
/// token and refresh it once between them.
#[derive(Default)]
pub struct MemoryTokenStore {
    tokens: RwLock<HashMap<TokenKey, AccessToken>>,
    locks: Mutex<HashMap<TokenKey, Arc<async_lock::Mutex<()>>>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self, key: &TokenKey) -> Option<AccessToken> {
        self.tokens
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    fn write(&self, key: &TokenKey, token: AccessToken) {
        self.tokens
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.clone(), token);
    }

    fn remove(&self, key: &TokenKey, stale: &AccessToken) {
        let mut tokens = self.tokens.write().unwrap_or_else(PoisonError::into_inner);
        if tokens.get(key) == Some(stale) {
            tokens.remove(key);
        }
    }

    fn lock_of(&self, key: &TokenKey) -> Arc<async_lock::Mutex<()>> {
        self.locks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key.clone())
            .or_default()
            .clone()
    }
}

// A poisoned lock only means another thread panicked between two statements that cannot leave
// the map inconsistent, so the data is used as is rather than turning every later call into a
// panic.

#[async_trait::async_trait]
impl TokenStore for MemoryTokenStore {
    async fn get(&self, key: &TokenKey) -> Result<Option<AccessToken>, StoreError> {
        Ok(self.read(key))
    }

    async fn put(&self, key: &TokenKey, token: AccessToken) -> Result<(), StoreError> {
        self.write(key, token);
        Ok(())
    }

    async fn remove_if(&self, key: &TokenKey, stale: &AccessToken) -> Result<(), StoreError> {
        self.remove(key, stale);
        Ok(())
    }

    async fn lock(&self, key: &TokenKey) -> Result<RefreshLock, StoreError> {
        Ok(RefreshLock::new(self.lock_of(key).lock_arc().await))
    }
}

impl BlockingTokenStore for MemoryTokenStore {
    fn get(&self, key: &TokenKey) -> Result<Option<AccessToken>, StoreError> {
        Ok(self.read(key))
    }

    fn put(&self, key: &TokenKey, token: AccessToken) -> Result<(), StoreError> {
        self.write(key, token);
        Ok(())
    }

    fn remove_if(&self, key: &TokenKey, stale: &AccessToken) -> Result<(), StoreError> {
        self.remove(key, stale);
        Ok(())
    }

    fn lock(&self, key: &TokenKey) -> Result<RefreshLock, StoreError> {
        Ok(RefreshLock::new(self.lock_of(key).lock_arc_blocking()))
    }
}

/// Lists the keys, never the tokens.
impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tokens = self.tokens.read().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("MemoryTokenStore")
            .field("keys", &tokens.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::PlatformKind;
    use crate::secret::Secret;
    use crate::token::TokenEndpoint;

    fn key() -> TokenKey {
        TokenKey::new(
            PlatformKind::OfficialAccount,
            "wx1",
            TokenEndpoint::Stable,
            &Secret::new("s"),
        )
    }

    #[test]
    fn remove_if_only_removes_the_stale_token() {
        let store = MemoryTokenStore::new();
        let old = AccessToken::from_parts("OLD", 1, 7201);
        let new = AccessToken::from_parts("NEW", 2, 7202);
        BlockingTokenStore::put(&store, &key(), new.clone()).unwrap();
        BlockingTokenStore::remove_if(&store, &key(), &old).unwrap();
        assert_eq!(
            BlockingTokenStore::get(&store, &key()).unwrap(),
            Some(new.clone())
        );
        BlockingTokenStore::remove_if(&store, &key(), &new).unwrap();
        assert_eq!(BlockingTokenStore::get(&store, &key()).unwrap(), None);
    }

    #[test]
    fn the_lock_excludes_a_second_holder_until_dropped() {
        let store = MemoryTokenStore::new();
        let held = BlockingTokenStore::lock(&store, &key()).unwrap();
        assert!(store.lock_of(&key()).try_lock().is_none());
        drop(held);
        assert!(store.lock_of(&key()).try_lock().is_some());
    }

    #[test]
    fn debug_lists_keys_not_tokens() {
        let store = MemoryTokenStore::new();
        BlockingTokenStore::put(&store, &key(), AccessToken::from_parts("TOKEN_VALUE", 1, 2))
            .unwrap();
        let debug = format!("{store:?}");
        assert!(debug.contains("wechat:official_account:wx1"), "{debug}");
        assert!(!debug.contains("TOKEN_VALUE"), "{debug}");
    }
}

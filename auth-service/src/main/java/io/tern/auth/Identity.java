package io.tern.auth;

import io.tern.common.config.PermissionsOptions;

/** Who a connection turned out to be: its user name, account and effective permissions (maybe none). */
record Identity(String user, String account, PermissionsOptions permissions) {
}

/**
 * Request checks that keep other sites and other users out: origins and secrets.
 * Internal: not part of Pagewire's API.
 */
package dev.pagewire.security;

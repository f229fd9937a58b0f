/**
 * Script sessions: one per loaded page, created by the handshake, found again by id and token.
 * Internal: not part of Pagewire's API.
 */
package dev.pagewire.push;

/**
 * Pages: the server's record of each loaded page, created by the handshake, found again by id and token, and their update queues.
 * Internal: not part of Pagewire's API.
 */
package dev.pagewire.push;

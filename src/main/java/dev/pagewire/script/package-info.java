/**
 * Generated scripts: the engine, and per proxy a classic script, an ES module and TypeScript
 * declarations; plus the debug page. Internal: not part of Pagewire's API.
 */
package dev.pagewire.script;

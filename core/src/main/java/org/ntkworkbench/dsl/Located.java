package org.ntkworkbench.dsl;

/** An exception whose message already starts with {@code file:line:}; the script runner prints it as is. */
interface Located {}

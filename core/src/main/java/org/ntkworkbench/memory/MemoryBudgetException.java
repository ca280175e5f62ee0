package org.ntkworkbench.memory;

/**
 * A computation refused before allocating because its estimated bytes exceed the memory budget. An
 * {@link IllegalArgumentException} (exit code 2: the request is too big for the settings, nothing was
 * computed); the message is one line naming the sizes and the knobs that change the outcome.
 */
public final class MemoryBudgetException extends IllegalArgumentException {
    private final long neededBytes;
    private final long budgetBytes;

    /** A refusal of {@code neededBytes} against {@code budgetBytes}, with the full one-line message. */
    public MemoryBudgetException(String message, long neededBytes, long budgetBytes) {
        super(message);
        this.neededBytes = neededBytes;
        this.budgetBytes = budgetBytes;
    }

    /** The estimate that was refused. */
    public long neededBytes() {
        return neededBytes;
    }

    /** The budget it was checked against. */
    public long budgetBytes() {
        return budgetBytes;
    }
}

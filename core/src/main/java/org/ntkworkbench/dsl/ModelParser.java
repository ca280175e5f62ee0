package org.ntkworkbench.dsl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ntkworkbench.spi.DslException;

/**
 * The one parser of model expressions ({@link ModelExpressions}): a hand-written tokenizer and recursive-descent
 * parser for exactly the accepted subset of Groovy's syntax, producing the small {@link Node} tree that
 * {@link ModelExpressions} checks and interprets. It never loads Groovy's parser (which cost about 0.6 CPU s at
 * start-up) and reads Groovy's lexical rules as Groovy does: number literals and their types (no suffix: Integer,
 * Long or BigInteger by size, BigDecimal for decimals; suffixes i l g f d), a minus sign folded into the number it
 * precedes, single, double, triple-quoted and slashy strings with their escapes, comments, {@code #!} on the first
 * line, newlines and {@code ;} ending statements (newlines inside parentheses and brackets do not), and the
 * precedence and associativity of Groovy's operators.
 *
 * <p>Constructs that are well-formed Groovy but not data (method calls on values, property access other than the
 * {@code Math}/{@code Double} constants, {@code new}, casts, GStrings, closures with several parameters, imports,
 * annotations, classes, loops, …) are refused here, in one line naming the construct and its line and column;
 * names (words, {@code def}s, closure parameters) are checked by {@link ModelExpressions} before anything runs.
 * Work is linear in the text: nesting deeper than {@link #MAX_DEPTH}, number literals longer than
 * {@link #MAX_NUMBER} characters or with exponents beyond ±{@link #MAX_EXPONENT} are refused.
 */
final class ModelParser {
    /** Deepest nesting of the syntax tree (parentheses, operators, calls): keeps recursion far from the stack's end. */
    static final int MAX_DEPTH = 200;
    /** Longest number literal, in characters (BigInteger/BigDecimal conversion is superlinear). */
    static final int MAX_NUMBER = 400;
    /** Largest decimal exponent of a literal (doubles end at ±308; BigDecimal arithmetic on 1e999999999 does not end). */
    static final int MAX_EXPONENT = 9999;

    private static final String HINT = " (a model expression is data: DSL words, literals, named arguments, arithmetic;"
            + " put code in an ntk run script)";
    private static final String OPERATORS = "; arithmetic (+ - * / % **), comparisons, && || ! and ?: are";

    // ---------------------------------------------------------------- syntax tree

    /** A node of a model expression, with the line and column (1-based) where it starts. */
    sealed interface Node permits Lit, ListNode, MapNode, Call, MathCall, Const, Var, Def, Binary, Unary, Ternary, Closure, Return {
        int line();

        int col();
    }

    /** A number (Integer, Long, BigInteger, BigDecimal, Float or Double), string, boolean or null. */
    record Lit(Object value, int line, int col) implements Node {}

    /** {@code [a, b]}. */
    record ListNode(List<Node> items, int line, int col) implements Node {}

    /** {@code [k: v]} (or named arguments): keys are plain names or strings. */
    record MapNode(List<Entry> entries, int line, int col) implements Node {}

    /** {@code key: value} of a map or a call. */
    record Entry(String key, Node value, int line, int col) {}

    /** {@code word(positional..., name: value...) { closure }}: named arguments keep their order, so do positional ones. */
    record Call(String name, List<Entry> named, List<Node> positional, int line, int col) implements Node {}

    /** {@code Math.name(args)}. */
    record MathCall(String name, List<Node> args, int line, int col) implements Node {}

    /** {@code Math.PI}, {@code Double.NaN} and the other constants ({@code Class.NAME}). */
    record Const(String name, int line, int col) implements Node {}

    /** A name: a {@code def} or a closure parameter (checked before the run). */
    record Var(String name, int line, int col) implements Node {}

    /** {@code def name = value} (also {@code var}, {@code final}, or a type instead of {@code def}). */
    record Def(String name, Node value, int line, int col) implements Node {}

    /** {@code left op right}, op one of {@code + - * / % ** < > <= >= == != && ||}. */
    record Binary(String op, Node left, Node right, int line, int col) implements Node {}

    /** {@code -x}, {@code +x}, {@code !x}. */
    record Unary(String op, Node operand, int line, int col) implements Node {}

    /** {@code c ? a : b}. */
    record Ternary(Node condition, Node ifTrue, Node ifFalse, int line, int col) implements Node {}

    /** {@code { x -> body }} or {@code { body }} (parameter {@code it}). */
    record Closure(String param, List<Node> body, int line, int col) implements Node {}

    /** {@code return value}. */
    record Return(Node value, int line, int col) implements Node {}

    // ---------------------------------------------------------------- tokens

    enum T { IDENT, KEYWORD, NUMBER, STRING, OP, EOF }

    /** A token; {@code nl}: a line break comes between it and the token before. */
    record Token(T type, String text, Object value, int line, int col, boolean nl, int start, int end) {
        boolean is(String s) {
            return (type == T.OP || type == T.KEYWORD) && text.equals(s);
        }

        String show() {
            return type == T.EOF ? "the end of the expression" : "'" + abbreviate(text) + "'";
        }
    }

    /** Groovy's reserved words (not names in an expression). */
    static final Set<String> KEYWORDS = Set.of("as", "def", "in", "trait", "abstract", "assert", "break", "case", "catch",
            "class", "const", "continue", "default", "do", "else", "enum", "extends", "final", "finally", "for", "if", "goto",
            "implements", "import", "instanceof", "interface", "native", "new", "package", "private", "protected", "public",
            "return", "static", "strictfp", "super", "switch", "synchronized", "this", "threadsafe", "throw", "throws",
            "transient", "try", "void", "volatile", "while", "true", "false", "null", "boolean", "byte", "char", "short", "int",
            "long", "float", "double");

    private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "char", "short", "int", "long", "float", "double");

    /** Operators, longest first (so that the tokenizer takes the longest match). */
    private static final String[] OPS = {">>>=", "!==", "===", "<=>", "**=", "<<=", ">>=", ">>>", "..<", "<..", "?.", "*.", ".&",
            ".@", "::", "->", "?:", "?[", "*:", "==~", "=~", "!in", "**", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
            "^=", "==", "!=", "<=", ">=", "&&", "||", "<<", "..", "(", ")", "[", "]", "{", "}", ",", ";", ":", ".", "=", "<", ">",
            "+", "-", "*", "/", "%", "!", "~", "?", "&", "|", "^", "@"};

    private final String src;
    private final String what;
    private final List<Token> tokens = new ArrayList<>();
    private int p;
    private int depth;

    private ModelParser(String src, String what) {
        this.src = src;
        this.what = what;
    }

    /** Parses {@code source} into its statements; {@code what} starts every error message (e.g. {@code --model}). */
    static List<Node> parse(String source, String what) {
        ModelParser mp = new ModelParser(source, what);
        mp.tokenize();
        mp.matchBrackets();
        int k = 0;
        while (mp.tk(k).is(";")) {
            k++;
        }
        Token first = mp.tk(k);
        if (k > 0 && first.type != T.EOF && !first.nl) {
            // Groovy's grammar: a text may start with line breaks, not with a ';' before a statement on the same line
            throw mp.error(first, "unexpected " + first.show() + " after a leading ';'");
        }
        return mp.statements(true);
    }

    DslException error(int line, int col, String message) {
        return new DslException(what + ": line " + line + ", column " + col + ": " + message);
    }

    DslException error(Token t, String message) {
        return error(t.line, t.col, message);
    }

    DslException refuse(Token t, String message) {
        return error(t, message + HINT);
    }

    // ---------------------------------------------------------------- tokenizer

    private int i;
    private int line = 1;
    private int lineStart;

    private int col(int at) {
        return at - lineStart + 1;
    }

    private char peekc(int k) {
        return i + k < src.length() ? src.charAt(i + k) : '\0';
    }

    private boolean more(int k) {
        return i + k < src.length();
    }

    /** A line break at {@code i} (\n, \r\n or \r): consumes it and counts the line. */
    private boolean newline() {
        char c = src.charAt(i);
        if (c == '\n' || c == '\r') {
            i += c == '\r' && more(1) && src.charAt(i + 1) == '\n' ? 2 : 1;
            line++;
            lineStart = i;
            return true;
        }
        return false;
    }

    private void tokenize() {
        boolean nl = false;
        // Groovy's lexer drops line breaks inside ( ) and [ ] (not inside { }): they then neither end a statement
        // nor make a '/' start a slashy string
        StringBuilder open = new StringBuilder();
        while (true) {
            // blanks, line breaks, comments, line continuations
            while (i < src.length()) {
                char c = src.charAt(i);
                if (c == ' ' || c == '\t' || c == '\f') {
                    i++;
                } else if (newline()) {
                    nl = true;
                } else if (c == '\\' && more(1) && (src.charAt(i + 1) == '\n' || src.charAt(i + 1) == '\r')) {
                    i++;
                    newline();
                } else if (c == '/' && peekc(1) == '/' || c == '#' && peekc(1) == '!' && tokens.isEmpty() && line == 1) {
                    // a line comment, or #! before the first token (Groovy's shebang line)
                    while (i < src.length() && src.charAt(i) != '\n' && src.charAt(i) != '\r') {
                        i++;
                    }
                } else if (c == '/' && peekc(1) == '*') {
                    int l0 = line;
                    int c0 = col(i);
                    i += 2;
                    while (true) {
                        if (i >= src.length()) {
                            throw error(l0, c0, "unterminated comment /* (no closing */)");
                        }
                        if (src.charAt(i) == '*' && peekc(1) == '/') {
                            i += 2;
                            break;
                        }
                        if (!newline()) {
                            i++;
                        }
                    }
                } else {
                    break;
                }
            }
            if (!open.isEmpty() && open.charAt(open.length() - 1) != '{') {
                nl = false;
            }
            int start = i;
            int l = line;
            int c = col(i);
            if (i >= src.length()) {
                tokens.add(new Token(T.EOF, "", null, l, c, nl, start, start));
                return;
            }
            char ch = src.charAt(i);
            Token t;
            if (Character.isJavaIdentifierStart(ch) && ch != '$') {
                while (i < src.length() && Character.isJavaIdentifierPart(src.charAt(i)) && !Character.isIdentifierIgnorable(src.charAt(i))) {
                    i++;
                }
                String w = src.substring(start, i);
                t = new Token(KEYWORDS.contains(w) ? T.KEYWORD : T.IDENT, w, null, l, c, nl, start, i);
            } else if (ch == '$') {
                if (peekc(1) == '/') {
                    t = dollarSlashy(start, l, c, nl);
                } else {
                    throw error(l, c, "'$' names are not allowed (a model expression uses plain names)" + HINT);
                }
            } else if (ch >= '0' && ch <= '9' || ch == '.' && peekc(1) >= '0' && peekc(1) <= '9') {
                t = number(start, l, c, nl);
            } else if (ch == '\'' || ch == '"') {
                t = string(start, l, c, nl, ch);
            } else if (ch == '/' && slashyAllowed(nl) && slashyEnds()) {
                t = slashy(start, l, c, nl);
            } else {
                String op = null;
                for (String o : OPS) {
                    if (src.startsWith(o, i)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    throw error(l, c, "unexpected character " + describeChar(ch));
                }
                if (op.equals("!in") && i + 3 < src.length() && Character.isJavaIdentifierPart(src.charAt(i + 3))) {
                    op = "!";
                }
                i += op.length();
                t = new Token(T.OP, op, null, l, c, nl, start, i);
                switch (op) {
                    case "(" -> open.append('(');
                    case "[", "?[" -> open.append('[');
                    case "{" -> open.append('{');
                    case ")", "]", "}" -> {
                        if (!open.isEmpty()) {
                            open.setLength(open.length() - 1);
                        }
                    }
                    default -> { }
                }
            }
            tokens.add(t);
            nl = false;
        }
    }

    private static String describeChar(char ch) {
        if (ch == 0) {
            return "NUL (U+0000)";
        }
        if (ch < ' ' || Character.isISOControl(ch) || Character.isWhitespace(ch) || Character.isSurrogate(ch)) {
            return String.format(Locale.ROOT, "U+%04X", (int) ch);
        }
        return "'" + ch + "'" + (ch == '\\' ? " (unicode escapes are read only inside strings)" : "");
    }

    /** A {@code /} starts a slashy string where an operand is expected (Groovy's rule), a division elsewhere. */
    private boolean slashyAllowed(boolean nl) {
        if (tokens.isEmpty() || nl) {
            return true;
        }
        Token prev = tk(tokens.size() - 1);
        return switch (prev.type) {
            case IDENT, NUMBER, STRING -> false;
            case KEYWORD -> !(prev.text.equals("this") || prev.text.equals("super") || prev.text.equals("true")
                    || prev.text.equals("false") || prev.text.equals("null") || PRIMITIVES.contains(prev.text));
            case OP -> !(prev.text.equals(")") || prev.text.equals("]") || prev.text.equals("}") || prev.text.equals("++")
                    || prev.text.equals("--"));
            default -> true;
        };
    }

    private Token number(int start, int l, int c, boolean nl) {
        char c0 = src.charAt(i);
        boolean decimal = false;
        int radix = 10;
        if (c0 == '0' && (peekc(1) == 'x' || peekc(1) == 'X' || peekc(1) == 'b' || peekc(1) == 'B')) {
            radix = peekc(1) == 'x' || peekc(1) == 'X' ? 16 : 2;
            i += 2;
            digits(radix, l, c);
        } else {
            if (c0 != '.') {
                digits(10, l, c);
            }
            if (peekc(0) == '.' && peekc(1) >= '0' && peekc(1) <= '9') {
                i++;
                digits(10, l, c);
                decimal = true;
            }
            if ((peekc(0) == 'e' || peekc(0) == 'E')
                    && ((peekc(1) >= '0' && peekc(1) <= '9') || ((peekc(1) == '+' || peekc(1) == '-') && peekc(2) >= '0' && peekc(2) <= '9'))) {
                i += peekc(1) == '+' || peekc(1) == '-' ? 2 : 1;
                digits(10, l, c);
                decimal = true;
            }
        }
        char s = Character.toLowerCase(peekc(0));
        boolean suffix = false;
        if (radix == 10 && (s == 'f' || s == 'd')) {
            decimal = true;
            suffix = true;
        } else if (s == 'g' || (!decimal && (s == 'i' || s == 'l'))) {
            suffix = true;
        }
        if (suffix) {
            i++;
        }
        if (i < src.length() && (Character.isJavaIdentifierPart(src.charAt(i)) || src.charAt(i) == '.' && peekc(1) >= '0' && peekc(1) <= '9')) {
            throw error(l, c, "malformed number '" + abbreviate(src.substring(start, Math.min(src.length(), i + 1))) + "'");
        }
        String text = src.substring(start, i);
        if (text.length() > MAX_NUMBER) {
            throw error(l, c, "a number literal of " + text.length() + " characters (at most " + MAX_NUMBER + ")");
        }
        if (!decimal && radix == 10 && text.length() > 1 && text.charAt(0) == '0') {
            String digits = text.replace("_", "").replaceAll("[lLiIgG]$", "");
            if (!digits.chars().allMatch(d -> d >= '0' && d <= '7')) {
                throw error(l, c, "malformed number '" + abbreviate(text) + "' (a leading 0 means octal)");
            }
        }
        Object value = numberValue(text, decimal, l, c);
        return new Token(T.NUMBER, text, value, l, c, nl, start, i);
    }

    private void digits(int radix, int l, int c) {
        int from = i;
        while (i < src.length() && (Character.digit(src.charAt(i), radix) >= 0 || src.charAt(i) == '_')) {
            i++;
        }
        if (i == from || src.charAt(from) == '_' || src.charAt(i - 1) == '_') {
            throw error(l, c, "malformed number '" + abbreviate(src.substring(Math.max(0, from - 2), Math.min(src.length(), i + 1))) + "'");
        }
    }

    /** Groovy's value of a number literal ({@code text} may start with '-': a folded unary minus). */
    Object numberValue(String text, boolean decimal, int l, int c) {
        String t = text.replace("_", "");
        try {
            if (decimal) {
                char type = Character.toLowerCase(t.charAt(t.length() - 1));
                String body = "fdg".indexOf(type) >= 0 ? t.substring(0, t.length() - 1) : t;
                BigDecimal v = new BigDecimal(body);
                long exponent = (long) v.precision() - v.scale() - 1;
                if (v.signum() != 0 && Math.abs(exponent) > MAX_EXPONENT) {
                    throw error(l, c, "the number " + abbreviate(text) + " is out of range (exponents up to ±" + MAX_EXPONENT + ")");
                }
                if (type == 'f') {
                    if (v.abs().compareTo(new BigDecimal(Float.toString(Float.MAX_VALUE))) > 0) {
                        throw error(l, c, "the number " + abbreviate(text) + " is out of range for a float");
                    }
                    return Float.parseFloat(body);
                }
                if (type == 'd') {
                    if (v.abs().compareTo(new BigDecimal(Double.MAX_VALUE)) > 0) {
                        throw error(l, c, "the number " + abbreviate(text) + " is out of range for a double");
                    }
                    return Double.parseDouble(body);
                }
                return v;
            }
            boolean negative = t.startsWith("-");
            if (negative) {
                t = t.substring(1);
            }
            int radix = 10;
            if (t.length() > 1 && t.charAt(0) == '0') {
                char r = t.charAt(1);
                if (r == 'x' || r == 'X') {
                    radix = 16;
                    t = t.substring(2);
                } else if (r == 'b' || r == 'B') {
                    radix = 2;
                    t = t.substring(2);
                } else {
                    radix = 8;
                }
            }
            char type = 'x';
            char last = Character.toLowerCase(t.charAt(t.length() - 1));
            if (last == 'i' || last == 'l' || last == 'g') {
                type = last;
                t = t.substring(0, t.length() - 1);
            }
            BigInteger v = new BigInteger((negative ? "-" : "") + t, radix);
            switch (type) {
                case 'i' -> {
                    if (radix == 10 && v.bitLength() > 31) {
                        throw error(l, c, "the number " + abbreviate(text) + " exceeds an Integer");
                    }
                    return v.intValue();
                }
                case 'l' -> {
                    if (radix == 10 && v.bitLength() > 63) {
                        throw error(l, c, "the number " + abbreviate(text) + " exceeds a Long");
                    }
                    return v.longValue();
                }
                case 'g' -> {
                    return v;
                }
                default -> {
                    if (v.bitLength() <= 31) {
                        return v.intValue();
                    }
                    if (v.bitLength() <= 63) {
                        return v.longValue();
                    }
                    return v;
                }
            }
        } catch (NumberFormatException e) {
            throw error(l, c, "malformed number '" + abbreviate(text) + "'");
        }
    }

    private Token string(int start, int l, int c, boolean nl, char q) {
        boolean triple = src.startsWith("" + q + q + q, i);
        i += triple ? 3 : 1;
        StringBuilder s = new StringBuilder();
        while (true) {
            if (i >= src.length()) {
                throw error(l, c, "unterminated string (no closing " + (triple ? "" + q + q + q : "" + q) + ")");
            }
            char ch = src.charAt(i);
            if (triple ? src.startsWith("" + q + q + q, i) : ch == q) {
                i += triple ? 3 : 1;
                break;
            }
            if (ch == '\n' || ch == '\r') {
                if (!triple) {
                    throw error(l, c, "unterminated string (a line break before the closing " + q + ")");
                }
                int at = i;
                newline();
                s.append(src.substring(at, i).replace("\r\n", "\n"));
                continue;
            }
            if (ch == '$' && q == '"') {
                throw error(line, col(i), "an interpolated string (GString, \"...$...\") is not allowed; use '...' or escape \\$" + HINT);
            }
            if (ch == '\\') {
                escape(s, true);
                continue;
            }
            if (ch == 0) {
                throw error(line, col(i), "a NUL character (U+0000) in a string");
            }
            s.append(ch);
            i++;
        }
        return new Token(T.STRING, src.substring(start, i), s.toString(), l, c, nl, start, i);
    }

    /** A backslash escape of a quoted string at {@code i}: \b \t \n \f \r \s \\ \' \" \$ \/ \\uXXXX, octal, or a line continuation. */
    private void escape(StringBuilder s, boolean quoted) {
        int l = line;
        int c = col(i);
        char e = peekc(1);
        switch (e) {
            case 'b' -> s.append('\b');
            case 't' -> s.append('\t');
            case 'n' -> s.append('\n');
            case 'f' -> s.append('\f');
            case 'r' -> s.append('\r');
            case 's' -> s.append(' ');
            case '\\' -> s.append('\\');
            case '\'' -> s.append('\'');
            case '"' -> s.append('"');
            case '$' -> s.append('$');
            case 'u' -> {
                int k = i + 1;
                while (k < src.length() && src.charAt(k) == 'u') {
                    k++;
                }
                if (k + 4 > src.length() || !src.substring(k, k + 4).chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                    throw error(l, c, "malformed unicode escape (\\uXXXX)");
                }
                s.append((char) Integer.parseInt(src.substring(k, k + 4), 16));
                i = k + 4;
                return;
            }
            case '\n', '\r' -> {
                i++;
                newline();
                return;
            }
            default -> {
                if (e >= '0' && e <= '7') {
                    int k = i + 1;
                    int max = e <= '3' ? 3 : 2;
                    while (k < src.length() && k - i - 1 < max && src.charAt(k) >= '0' && src.charAt(k) <= '7') {
                        k++;
                    }
                    s.append((char) Integer.parseInt(src.substring(i + 1, k), 8));
                    i = k;
                    return;
                }
                throw error(l, c, "unknown escape '\\" + (e == 0 && !more(1) ? "" : String.valueOf(e)) + "' in a string");
            }
        }
        i += 2;
    }

    /** Is there a closing '/' for a slashy string at {@code i}? Groovy's lexer reads a division where there is none. */
    private boolean slashyEnds() {
        for (int k = i + 1; k < src.length(); k++) {
            char ch = src.charAt(k);
            if (ch == '\\' && k + 1 < src.length() && src.charAt(k + 1) == '/') {
                k++;
            } else if (ch == '/') {
                return true;
            }
        }
        return false;
    }

    /** {@code /text/}: only \/ is an escape; $ starts a GString (refused). */
    private Token slashy(int start, int l, int c, boolean nl) {
        i++;
        StringBuilder s = new StringBuilder();
        while (true) {
            if (i >= src.length()) {
                throw error(l, c, "unterminated slashy string (no closing /)");
            }
            char ch = src.charAt(i);
            if (ch == '/') {
                i++;
                break;
            }
            if (ch == '\\' && peekc(1) == '/') {
                s.append('/');
                i += 2;
                continue;
            }
            if (ch == '\\' && (peekc(1) == '\n' || peekc(1) == '\r')) {
                i++;
                newline();
                continue;
            }
            slashyChar(s, "/...$.../");
        }
        return new Token(T.STRING, src.substring(start, i), s.toString(), l, c, nl, start, i);
    }

    /**
     * One character of a slashy or dollar-slashy string that is neither its delimiter nor an escape, appended to
     * {@code s}: {@code $name} or <code>${</code> (a GString, shown as {@code form}) and NUL are refused; a line end is
     * kept (CR LF as LF).
     */
    private void slashyChar(StringBuilder s, String form) {
        char ch = src.charAt(i);
        if (ch == '$' && (Character.isJavaIdentifierStart(peekc(1)) || peekc(1) == '{')) {
            throw error(line, col(i), "an interpolated string (GString, " + form + ") is not allowed" + HINT);
        }
        if (ch == 0) {
            throw error(line, col(i), "a NUL character (U+0000) in a string");
        }
        int at = i;
        if (newline()) {
            s.append(src.substring(at, i).replace("\r\n", "\n"));
            return;
        }
        s.append(ch);
        i++;
    }

    /** {@code $/text/$}: $$ is $, $/ is /; $name or ${ starts a GString (refused). */
    private Token dollarSlashy(int start, int l, int c, boolean nl) {
        i += 2;
        StringBuilder s = new StringBuilder();
        while (true) {
            if (i >= src.length()) {
                throw error(l, c, "unterminated dollar-slashy string (no closing /$)");
            }
            char ch = src.charAt(i);
            if (ch == '/' && peekc(1) == '$') {
                i += 2;
                break;
            }
            if (ch == '$' && (peekc(1) == '$' || peekc(1) == '/')) {
                s.append(peekc(1));
                i += 2;
                continue;
            }
            slashyChar(s, "$/...$.../$");
        }
        return new Token(T.STRING, src.substring(start, i), s.toString(), l, c, nl, start, i);
    }

    // ---------------------------------------------------------------- parser

    /** For each opening bracket token, the index of its closing one (-1: unbalanced); lookahead stays linear. */
    private int[] match;

    private void matchBrackets() {
        match = new int[tokens.size()];
        java.util.Arrays.fill(match, -1);
        int[] stack = new int[tokens.size()];
        int top = 0;
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.is("(") || t.is("[") || t.is("{") || t.is("?[")) {
                stack[top++] = k;
            } else if ((t.is(")") || t.is("]") || t.is("}")) && top > 0) {
                match[stack[--top]] = k;
            }
        }
    }

    private Token peek() {
        return tokens.get(p);
    }

    /** Token {@code k}, or the end when {@code k} is past it (lookahead never runs off the list). */
    private Token tk(int k) {
        return tokens.get(Math.min(k, tokens.size() - 1));
    }

    private Token peek(int k) {
        return tk(Math.min(p + k, tokens.size() - 1));
    }

    private Token next() {
        Token t = tk(p);
        if (t.type != T.EOF) {
            p++;
        }
        return t;
    }

    private Token expect(String op, String context) {
        Token t = peek();
        if (!t.is(op)) {
            throw error(t, "expected '" + op + "' " + context + ", found " + t.show());
        }
        return next();
    }

    private void enter(Token at) {
        if (++depth > MAX_DEPTH) {
            throw error(at, "the expression nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void leave() {
        depth--;
    }

    /** Brackets open around the current position: newlines inside ( ) and [ ] do not end anything. */
    private final ArrayList<Character> brackets = new ArrayList<>();

    private boolean inParens() {
        return !brackets.isEmpty() && brackets.get(brackets.size() - 1) != '{';
    }

    /** Does a line break before {@code t} end the expression here (statement level, not inside ( ) or [ ])? */
    private boolean nlEnds(Token t) {
        return t.nl && !inParens();
    }

    /** Statements up to the end ({@code top}) or up to the closing brace of a closure. */
    private List<Node> statements(boolean top) {
        List<Node> out = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.type == T.EOF) {
                if (!top) {
                    throw error(t, "unexpected end of the expression: a closure { ... } is not closed");
                }
                return out;
            }
            if (t.is("}")) {
                if (top) {
                    throw error(t, "unexpected '}' (no open closure)");
                }
                return out;
            }
            if (t.is(";")) {
                next();
                continue;
            }
            Node s = statement();
            out.add(s);
            out.addAll(moreDefs);
            moreDefs.clear();
            Token after = peek();
            if (!(after.type == T.EOF || after.is(";") || after.is("}") || after.nl)) {
                throw error(after, "unexpected " + after.show() + " after the statement; statements are separated by line breaks or ';'");
            }
        }
    }

    /** Further declarations of a {@code def a = 1, b = 2} (Groovy makes one declaration of each). */
    private final List<Node> moreDefs = new ArrayList<>();

    private Node statement() {
        Token t = peek();
        if (t.type == T.KEYWORD) {
            switch (t.text) {
                case "import", "package" -> throw refuse(t, "imports and packages are not allowed");
                case "class", "interface", "enum", "trait" -> throw refuse(t, "class declarations are not allowed");
                case "if", "while", "for", "do", "switch", "try", "throw", "assert", "synchronized", "break", "continue", "else",
                        "case", "default", "goto", "const" -> throw refuse(t, "'" + t.text + "' statements are not allowed");
                case "static", "public", "private", "protected", "abstract", "native", "strictfp", "transient", "volatile",
                        "threadsafe" -> throw refuse(t, "modifiers ('" + t.text + "') and the declarations they start are not allowed");
                case "void" -> throw refuse(t, "method declarations are not allowed");
                case "return" -> {
                    next();
                    Token v = peek();
                    if (v.type == T.EOF || v.is(";") || v.is("}") || v.nl) {
                        return new Return(new Lit(null, t.line, t.col), t.line, t.col);
                    }
                    return new Return(statementExpression(), t.line, t.col);
                }
                case "def", "final" -> {
                    return declaration();
                }
                default -> {
                    if (PRIMITIVES.contains(t.text) && peek(1).type == T.IDENT) {
                        return declaration();
                    }
                }
            }
        }
        if (t.is("@")) {
            throw refuse(t, "annotations (@" + (peek(1).type == T.IDENT || peek(1).type == T.KEYWORD ? peek(1).text : "") + ") are not allowed");
        }
        if (t.type == T.IDENT) {
            Token n = peek(1);
            if (n.is(":") ) {
                throw refuse(t, "statement labels are not allowed");
            }
            if (t.text.equals("record") && n.type == T.IDENT && peek(2).is("(")) {
                throw refuse(t, "class declarations are not allowed");
            }
            if (t.text.equals("var") && n.type == T.IDENT) {
                return declaration();
            }
            if (isTypedDeclaration()) {
                return declaration();
            }
        }
        return statementExpression();
    }

    /** {@code Type name =} / {@code Type name(} / {@code a.b.Type name}: a declaration with a type instead of def. */
    private boolean isTypedDeclaration() {
        int k = p;
        if (tk(k).type != T.IDENT) {
            return false;
        }
        k++;
        while (tk(k).is(".") && tk(k + 1).type == T.IDENT) {
            k += 2;
        }
        if (tk(k).is("<")) {
            return tk(k).nl ? false : generics(k);
        }
        while (tk(k).is("[") && tk(k + 1).is("]")) {
            k += 2;
        }
        Token name = tk(k);
        Token after = tk(Math.min(k + 1, tokens.size() - 1));
        return name.type == T.IDENT && !name.nl && (after.is("=") || after.is("(") && k > p + 1);
    }

    private boolean generics(int k) {
        // Type<...> name: anything generic at the start of a statement is a declaration (refused below as typed)
        int d = 0;
        for (int j = k; j < tokens.size() && tk(j).type != T.EOF; j++) {
            Token t = tk(j);
            if (t.is("<")) {
                d++;
            } else if (t.is(">")) {
                d--;
            } else if (t.is(">>")) {
                d -= 2;
            } else if (t.is(">>>")) {
                d -= 3;
            } else if (!(t.type == T.IDENT || t.is(",") || t.is(".") || t.is("?") || t.type == T.KEYWORD)) {
                return false;
            }
            if (d <= 0) {
                return tk(j + 1).type == T.IDENT && (tk(j + 2).is("=") || tk(j + 2).is("("));
            }
        }
        return false;
    }

    /** {@code def|var|final|Type name = value}; {@code def name(...)} is a method declaration. */
    private Node declaration() {
        Token start = peek();
        boolean modifier = false;
        Set<String> seen = new java.util.HashSet<>();
        while (peek().is("def") || peek().is("final") || (peek().type == T.IDENT && peek().text.equals("var") && peek(1).type == T.IDENT)) {
            if (!seen.add(peek().text)) {
                throw error(peek(), "'" + peek().text + "' is repeated");
            }
            next();
            modifier = true;
        }
        if (peek().is("(")) {
            throw refuse(peek(), "only 'def name = value' declarations are allowed (no multiple assignment)");
        }
        Token name;
        if (peek().type == T.KEYWORD && PRIMITIVES.contains(peek().text) || peek().type == T.IDENT && isTypeThenName()) {
            type();
        }
        name = peek();
        if (name.type != T.IDENT) {
            throw error(name, "expected a name after '" + start.text + "', found " + name.show());
        }
        next();
        if (peek().is("(")) {
            throw refuse(name, "method declarations are not allowed");
        }
        if (!peek().is("=")) {
            if (peek().is(",")) {
                throw refuse(peek(), "only 'def name = value' declarations are allowed (one name each)");
            }
            throw refuse(name, "only 'def name = value' declarations are allowed" + (modifier ? " (a value is missing)" : ""));
        }
        next();
        Node value = statementExpression();
        while (peek().is(",")) {
            next();
            Token more = peek();
            if (more.type != T.IDENT || !peek(1).is("=")) {
                throw refuse(more, "only 'def name = value' declarations are allowed");
            }
            next();
            next();
            moreDefs.add(new Def(more.text, statementExpression(), more.line, more.col));
        }
        return new Def(name.text, value, start.line, start.col);
    }

    private boolean isTypeThenName() {
        int k = p + 1;
        while (tk(k).is(".") && tk(k + 1).type == T.IDENT) {
            k += 2;
        }
        if (tk(k).is("<")) {
            return true;
        }
        while (tk(k).is("[") && tk(k + 1).is("]")) {
            k += 2;
        }
        return tk(k).type == T.IDENT;
    }

    /** A type name ({@code double}, {@code java.lang.Double}, {@code List<X>}, {@code int[]}) as written. */
    private String type() {
        StringBuilder s = new StringBuilder(next().text);
        while (peek().is(".") && peek(1).type == T.IDENT) {
            next();
            s.append('.').append(next().text);
        }
        if (peek().is("<")) {
            int d = 0;
            do {
                Token t = next();
                s.append(t.text);
                d += t.is("<") ? 1 : t.is(">") ? -1 : t.is(">>") ? -2 : t.is(">>>") ? -3 : 0;
                if (t.type == T.EOF) {
                    throw error(t, "unexpected end of the expression in a type");
                }
            } while (d > 0);
        }
        while (peek().is("[") && peek(1).is("]")) {
            next();
            next();
            s.append("[]");
        }
        return s.toString();
    }

    /** An expression where a statement may hold a command expression ({@code dense 8, bStd: 0.1}). */
    private Node statementExpression() {
        Token t = peek();
        if ((t.type == T.IDENT || t.type == T.STRING && src.charAt(t.start) != '/' && src.charAt(t.start) != '$')
                && startsCommandArgument(peek(1))) {
            next();
            List<Entry> named = new ArrayList<>();
            List<Node> positional = new ArrayList<>();
            enter(t);
            do {
                argument(named, positional);
            } while (peek().is(",") && next() != null);
            leave();
            Token after = peek();
            if (!(after.type == T.EOF || after.is(";") || after.is("}") || after.nl)) {
                throw refuse(after, "method calls on values ('" + abbreviate(text(t, tk(p - 1))) + " " + after.text
                        + " ...', a command chain) are not allowed; only DSL words and Math functions can be called");
            }
            return new Call(t.type == T.STRING ? (String) t.value : t.text, named, positional, t.line, t.col);
        }
        Node e = expression();
        Token after = peek();
        if (after.is("=") || after.text.length() >= 2 && after.text.endsWith("=") && after.type == T.OP
                && Set.of("+=", "-=", "*=", "/=", "%=", "**=", "&=", "|=", "^=", "<<=", ">>=", ">>>=").contains(after.text)) {
            throw refuse(after, "the operator '" + after.text + "' is not allowed" + OPERATORS);
        }
        return e;
    }

    /** Can {@code t} (after a name) start the first argument of a command expression {@code name arg, ...}? */
    private boolean startsCommandArgument(Token t) {
        if (t.nl) {
            return false;
        }
        return switch (t.type) {
            case IDENT, NUMBER, STRING -> true;
            case KEYWORD -> Set.of("true", "false", "null", "new", "this", "super").contains(t.text) || peek(2).is(":");
            default -> false;
        };
    }

    private Node expression() {
        return ternary();
    }


    private Node ternary() {
        Node c = binary(0);
        Token q = peek();
        if (q.is("?:") && !nlEnds(q) || q.is("?") && peek(1).is(":") && !nlEnds(q)) {
            throw refuse(q, "the elvis operator (?:) is not allowed");
        }
        if (q.is("?") && !nlEnds(q)) {
            next();
            enter(q);
            Node a = ternary();
            Token colon = peek();
            if (!colon.is(":")) {
                throw error(colon, "expected ':' of '? :', found " + colon.show());
            }
            next();
            Node b = ternary();
            leave();
            return new Ternary(c, a, b, c.line(), c.col());
        }
        return c;
    }

    /** Binary operator levels, loosest first; refused operators are parsed at their Groovy level and refused on sight. */
    private static final String[][] LEVELS = {
        {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"=~", "==~"}, {"==", "!=", "===", "!==", "<=>"},
        {"<", "<=", ">", ">=", "in", "!in", "instanceof", "as"}, {"<<", ">>", ">>>", "..", "..<", "<.."}, {"+", "-"}, {"*", "/", "%"}};
    private static final int UNARY_LEVEL = LEVELS.length;
    /** Operators that may follow a line break (Groovy's grammar has nls before them); + and - may not (they start statements). */
    private static final Set<String> NL_BEFORE = Set.of("||", "&&", "|", "^", "&", "=~", "==~", "==", "!=", "===", "!==", "<=>",
            "<", "<=", ">", ">=", "in", "!in", "instanceof", "as", "<<", ">>", ">>>", "..", "..<", "<..", "*", "/", "%");

    private static final java.util.Map<String, Integer> PRECEDENCE = new java.util.HashMap<>();
    private static final Set<String> ALLOWED = Set.of("+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "!=", "&&", "||");

    static {
        for (int l = 0; l < LEVELS.length; l++) {
            for (String o : LEVELS[l]) {
                PRECEDENCE.put(o, l);
            }
        }
    }

    /** Precedence climbing over {@link #LEVELS} (left-associative), from {@code minLevel} up. */
    private Node binary(int minLevel) {
        Node left = unary();
        int chain = 0;
        while (true) {
            Token op = peek();
            String sym = opSymbol(op);
            Integer level = sym == null ? null : PRECEDENCE.get(sym);
            if (level == null || level < minLevel || nlEnds(op) && !NL_BEFORE.contains(sym)) {
                return left;
            }
            if (!ALLOWED.contains(sym)) {
                throw refuseOperator(op, sym);
            }
            next();
            if (++chain + depth > MAX_DEPTH) {
                throw error(op, "the expression nests deeper than " + MAX_DEPTH + " levels");
            }
            Node right = binary(level + 1);
            left = new Binary(sym, left, right, left.line(), left.col());
        }
    }

    /** The binary operator {@code t} stands for, or null. */
    private String opSymbol(Token t) {
        if (t.type == T.OP) {
            return t.text;
        }
        if (t.type == T.KEYWORD && (t.text.equals("in") || t.text.equals("instanceof") || t.text.equals("as"))) {
            return t.text;
        }
        if (t.is("!") && peek(1).type == T.KEYWORD && peek(1).text.equals("instanceof") && peek(1).start == t.end) {
            return "instanceof";
        }
        return null;
    }

    private DslException refuseOperator(Token op, String sym) {
        return switch (sym) {
            case "as" -> refuse(op, "a cast ('as') is not allowed");
            case "..", "..<", "<.." -> refuse(op, "a range ('" + sym + "') is not allowed");
            default -> refuse(op, "the operator '" + sym + "' is not allowed" + OPERATORS);
        };
    }

    private static boolean contains(String[] a, String s) {
        for (String x : a) {
            if (x.equals(s)) {
                return true;
            }
        }
        return false;
    }

    /** Prefix + and - (looser than **), then ** (left-associative, as Groovy's), then ! and ~ and postfix. */
    private Node unary() {
        Token t = peek();
        if (t.is("-") || t.is("+")) {
            next();
            if (peek().nl) {
                throw error(peek(), "unexpected line break after '" + t.text + "'");
            }
            enter(t);
            Token operandStart = peek();
            int before = p;
            Node operand = unary();
            leave();
            if (operand instanceof Lit lit && lit.value() instanceof Number && operandStart.type == T.NUMBER && p == before + 1) {
                // Groovy folds a sign into the number literal it precedes (so -2147483648 is an Integer)
                if (t.is("+")) {
                    return new Lit(lit.value(), t.line, t.col);
                }
                boolean decimal = !(lit.value() instanceof Integer || lit.value() instanceof Long || lit.value() instanceof BigInteger);
                return new Lit(numberValue("-" + operandStart.text, decimal, operandStart.line, operandStart.col), t.line, t.col);
            }
            return new Unary(t.text, operand, t.line, t.col);
        }
        if (t.is("++") || t.is("--")) {
            throw refuse(t, "++/-- is not allowed");
        }
        return power();
    }

    private Node power() {
        Node left = not();
        int chain = 0;
        while (peek().is("**") && !nlEnds(peek())) {
            Token op = next();
            if (++chain + depth > MAX_DEPTH) {
                throw error(op, "the expression nests deeper than " + MAX_DEPTH + " levels");
            }
            enter(op);
            Node right = prefixOperand();
            leave();
            left = new Binary("**", left, right, left.line(), left.col());
        }
        return left;
    }

    /** The right operand of ** and the operand of !: a prefix sign there takes a unary operand (2 ** -1, !-x). */
    private Node prefixOperand() {
        Token t = peek();
        if (t.is("-") || t.is("+") || t.is("++") || t.is("--")) {
            return unary();
        }
        return not();
    }

    private Node not() {
        Token t = peek();
        if (t.is("!")) {
            next();
            enter(t);
            Node operand = prefixOperand();
            leave();
            return new Unary("!", operand, t.line, t.col);
        }
        if (t.is("~")) {
            throw refuse(t, "~ is not allowed");
        }
        return postfix();
    }

    /** A primary and what follows it: only word(args) {closure}, Math.f(args) and Math/Double constants are data. */
    private Node postfix() {
        Token start = peek();
        enter(start);
        Node result;
        if ((start.type == T.IDENT || start.type == T.STRING && src.charAt(start.start) != '/' && src.charAt(start.start) != '$')
                && isCallStart() && (start.type == T.IDENT || peek(1).is("("))) {
            next();
            List<Entry> named = new ArrayList<>();
            List<Node> positional = new ArrayList<>();
            arguments(named, positional);
            result = new Call(start.type == T.STRING ? (String) start.value : start.text, named, positional, start.line, start.col);
        } else if (start.type == T.IDENT && (start.text.equals("Math") || start.text.equals("Double")) && peek(1).is(".")
                && peek(2).type == T.IDENT && !peek(1).nl) {
            Token member = peek(2);
            if (start.text.equals("Math") && peek(3).is("(") && (ModelExpressions.MATH_1.contains(member.text)
                    || ModelExpressions.MATH_2.contains(member.text))) {
                p += 3;
                List<Entry> named = new ArrayList<>();
                List<Node> positional = new ArrayList<>();
                arguments(named, positional);
                if (!named.isEmpty()) {
                    Entry e = named.get(0);
                    throw error(e.line(), e.col(), "named arguments are for DSL words only" + HINT);
                }
                result = new MathCall(member.text, positional, start.line, start.col);
            } else if (!peek(3).is("(") && !peek(3).is("{") && ModelExpressions.CONSTANTS.containsKey(start.text + "." + member.text)) {
                p += 3;
                result = new Const(start.text + "." + member.text, start.line, start.col);
            } else {
                next();
                result = new Var(start.text, start.line, start.col);
            }
        } else {
            result = primary();
        }
        // anything after a value is an operation on it: refused, naming the outermost one
        Token suffix = peek();
        if (isSuffix(suffix)) {
            int from = start.start;
            String kind = null;
            Token at = suffix;
            while (isSuffix(peek())) {
                at = peek();
                kind = skipSuffix();
            }
            String text = abbreviate(src.substring(from, tk(p - 1).end));
            throw switch (kind) {
                case "call" -> refuse(start, "method calls on values ('" + text + "') are not allowed; only DSL words and Math functions can be called");
                case "property" -> refuse(start, "property access ('" + text + "') is not allowed; constants allowed: "
                        + String.join(", ", new java.util.TreeSet<>(ModelExpressions.CONSTANTS.keySet())));
                case "index" -> refuse(at, "the operator '[' is not allowed" + OPERATORS);
                case "pointer" -> refuse(at, "a method pointer (.&) ('" + text + "') is not allowed");
                case "reference" -> refuse(at, "a method reference (::) ('" + text + "') is not allowed");
                case "attribute" -> refuse(at, "attribute access (.@) ('" + text + "') is not allowed");
                case "safe" -> refuse(at, "safe navigation (?.) ('" + text + "') is not allowed");
                case "spread" -> refuse(at, "the spread operator (*.) ('" + text + "') is not allowed");
                case "incdec" -> refuse(at, "++/-- is not allowed");
                default -> refuse(at, "'" + text + "' is not allowed");
            };
        }
        leave();
        return result;
    }

    /** Is the name at {@code p} called: name(...) or name { ... }? */
    private boolean isCallStart() {
        Token n = peek(1);
        return n.is("(") && !n.nl || n.is("{");
    }

    private boolean isSuffix(Token t) {
        if (t.is(".") || t.is("?.") || t.is("*.") || t.is(".&") || t.is(".@") || t.is("::")) {
            return !t.nl || true;
        }
        if (t.is("?[")) {
            return true;
        }
        if ((t.is("(") || t.is("[")) && !t.nl || t.is("{")) {
            return true;
        }
        return (t.is("++") || t.is("--")) && !t.nl;
    }

    /** Skips one suffix (balanced), returning its kind. */
    private String skipSuffix() {
        Token t = next();
        switch (t.text) {
            case "(" -> {
                skipBalanced(")");
                return "call";
            }
            case "[", "?[" -> {
                skipBalanced("]");
                return "index";
            }
            case "{" -> {
                skipBalanced("}");
                return "call";
            }
            case "++", "--" -> {
                return "incdec";
            }
            default -> {
                Token member = next();
                if (member.type == T.EOF) {
                    throw error(member, "unexpected end of the expression after '" + t.text + "'");
                }
                if (member.is("(")) {
                    skipBalanced(")");
                }
                if (member.is("<")) {
                    // generic method call a.<T>m(): skip to >
                    while (!peek().is(">") && peek().type != T.EOF) {
                        next();
                    }
                    next();
                    next();
                }
                boolean called = peek().is("(") && !peek().nl || peek().is("{");
                if (called) {
                    next();
                    skipBalanced(tk(p - 1).is("(") ? ")" : "}");
                }
                return switch (t.text) {
                    case ".&" -> "pointer";
                    case "::" -> "reference";
                    case ".@" -> "attribute";
                    case "?." -> "safe";
                    case "*." -> "spread";
                    default -> called ? "call" : "property";
                };
            }
        }
    }

    private void skipBalanced(String close) {
        int d = 1;
        while (d > 0) {
            Token t = next();
            if (t.type == T.EOF) {
                throw error(t, "unexpected end of the expression: '" + close + "' expected");
            }
            if (t.is("(") || t.is("[") || t.is("{") || t.is("?[")) {
                d++;
            } else if (t.is(")") || t.is("]") || t.is("}")) {
                d--;
            }
        }
    }

    private Node primary() {
        Token t = peek();
        switch (t.type) {
            case NUMBER, STRING -> {
                next();
                return new Lit(t.value, t.line, t.col);
            }
            case IDENT -> {
                if (peek(1).is("->") && !peek(1).nl) {
                    throw refuse(t, "a lambda ('" + t.text + " -> ...') is not allowed; write a closure { " + t.text + " -> ... }");
                }
                next();
                return new Var(t.text, t.line, t.col);
            }
            case KEYWORD -> {
                switch (t.text) {
                    case "true", "false" -> {
                        next();
                        return new Lit(t.text.equals("true"), t.line, t.col);
                    }
                    case "null" -> {
                        next();
                        return new Lit(null, t.line, t.col);
                    }
                    case "this", "super" -> {
                        next();
                        return new Var(t.text, t.line, t.col);
                    }
                    case "new" -> {
                        next();
                        int k = p;
                        while (tk(k).type == T.IDENT || tk(k).type == T.KEYWORD || tk(k).is(".")) {
                            k++;
                        }
                        if (tk(k).is("<")) {
                            k++;
                        }
                        boolean array = tk(k).is("[");
                        throw array ? refuse(t, "an array ('new " + abbreviate(text(tk(p), tk(k))) + "...') is not allowed")
                                : refuse(t, "'new' ('new " + abbreviate(text(tk(p), tk(Math.max(p, k - 1)))) + "(...)') is not allowed");
                    }
                    default -> {
                        if (PRIMITIVES.contains(t.text)) {
                            throw refuse(t, "a class reference ('" + t.text + "') is not allowed");
                        }
                        throw error(t, "unexpected '" + t.text + "'");
                    }
                }
            }
            case EOF -> throw error(t, "unexpected end of the expression");
            default -> {
            }
        }
        switch (t.text) {
            case "(" -> {
                return parenthesised();
            }
            case "[" -> {
                return listOrMap();
            }
            case "{" -> {
                return closure();
            }
            case "@" -> throw refuse(t, "annotations (@" + peek(1).text + ") are not allowed");
            case "*", "*:" -> throw refuse(t, "the spread operator is not allowed");
            default -> throw error(t, "unexpected " + t.show());
        }
    }

    private Node parenthesised() {
        Token open = next();
        // (a, b) -> ..., () -> ...: a lambda
        int k = p;
        while (tk(k).type == T.IDENT || tk(k).is(",") || (tk(k).type == T.KEYWORD && PRIMITIVES.contains(tk(k).text))) {
            k++;
        }
        if (tk(k).is(")") && tk(k + 1).is("->")) {
            throw refuse(open, "a lambda ('(...) -> ...') is not allowed; write a closure { x -> ... }");
        }
        // (Type) value, (Type[]) value: a cast
        if ((peek().type == T.IDENT || peek().type == T.KEYWORD && PRIMITIVES.contains(peek().text))) {
            k = p + 1;
            while (tk(k).is(".") && tk(k + 1).type == T.IDENT) {
                k += 2;
            }
            while (tk(k).is("[") && tk(k + 1).is("]")) {
                k += 2;
            }
            Token after = tk(k + 1);
            boolean primitive = peek().type == T.KEYWORD;
            // Groovy reads (name) followed by an operand, a sign or ! as a cast (so "(w) - 1" was refused as one)
            if (tk(k).is(")") && (primitive || after.type == T.IDENT || after.type == T.NUMBER || after.type == T.STRING
                    || after.is("(") || after.is("[") || after.is("{") || after.is("!") || (after.is("+") || after.is("-")) && !tk(k + 2).nl
                    || after.is("~") || after.is("++") || after.is("--")
                    || after.type == T.KEYWORD && Set.of("new", "this", "true", "false", "null").contains(after.text)) && !after.nl) {
                throw refuse(open, "a cast ('" + abbreviate(text(open, tk(k))) + "') is not allowed");
            }
        }
        brackets.add('(');
        Node e = statementLike();
        Token close = peek();
        if (!close.is(")")) {
            throw error(close, "expected ')' to close the '(' at line " + open.line + ", column " + open.col + ", found " + close.show());
        }
        next();
        brackets.remove(brackets.size() - 1);
        return e;
    }

    /** Inside parentheses: an expression (an assignment is refused as at statement level). */
    private Node statementLike() {
        Node e = expression();
        Token after = peek();
        if (after.type == T.OP && (after.is("=") || after.text.endsWith("=") && after.text.length() >= 2
                && !Set.of("==", "!=", "<=", ">=", "===", "!==").contains(after.text))) {
            throw refuse(after, "the operator '" + after.text + "' is not allowed" + OPERATORS);
        }
        return e;
    }

    private Node listOrMap() {
        Token open = next();
        brackets.add('[');
        try {
            if (peek().is(":") && peek(1).is("]")) {
                next();
                next();
                return new MapNode(List.of(), open.line, open.col);
            }
            List<Node> items = new ArrayList<>();
            List<Entry> entries = new ArrayList<>();
            while (!peek().is("]")) {
                if (isKeyStart()) {
                    entries.add(entry());
                } else {
                    if (peek().is("*") || peek().is("*:")) {
                        throw refuse(peek(), "the spread operator is not allowed");
                    }
                    items.add(statementLike());
                }
                if (!items.isEmpty() && !entries.isEmpty()) {
                    throw error(open, "a list cannot hold 'key: value' entries (a map is [k: v, ...], a list [a, b])");
                }
                if (peek().is(",")) {
                    next();
                } else if (!peek().is("]")) {
                    throw error(peek(), "expected ',' or ']' in the list or map opened at line " + open.line + ", column " + open.col
                            + ", found " + peek().show());
                }
            }
            next();
            return entries.isEmpty() ? new ListNode(items, open.line, open.col) : new MapNode(entries, open.line, open.col);
        } finally {
            brackets.remove(brackets.size() - 1);
        }
    }

    /** {@code name:}, {@code 'string':}, {@code (expr):}, {@code 1:}: a map entry or named argument starts here. */
    private boolean isKeyStart() {
        Token t = peek();
        if ((t.type == T.IDENT || t.type == T.KEYWORD || t.type == T.STRING || t.type == T.NUMBER) && peek(1).is(":")) {
            return true;
        }
        return t.is("(") && match[p] >= 0 && tk(match[p] + 1).is(":");
    }

    private Entry entry() {
        Token key = peek();
        if (key.is("(") || key.type == T.NUMBER) {
            throw refuse(key, "map keys and argument names must be plain names or strings");
        }
        next();
        next();
        Node value = statementLike();
        return new Entry(key.type == T.STRING ? (String) key.value : key.text, value, key.line, key.col);
    }

    /** {@code (args)} then trailing closures, or trailing closures alone. */
    private void arguments(List<Entry> named, List<Node> positional) {
        if (peek().is("(")) {
            Token open = next();
            brackets.add('(');
            if (!peek().is(")")) {
                while (true) {
                    argument(named, positional);
                    if (peek().is(",")) {
                        next();
                        if (peek().is(")")) {
                            break;
                        }
                        continue;
                    }
                    if (!peek().is(")")) {
                        throw error(peek(), "expected ',' or ')' in the arguments opened at line " + open.line + ", column " + open.col
                                + ", found " + peek().show());
                    }
                    break;
                }
            }
            next();
            brackets.remove(brackets.size() - 1);
        }
        while (peek().is("{")) {
            // Groovy takes a closure on the next line as one more argument too
            positional.add(closure());
        }
    }

    private void argument(List<Entry> named, List<Node> positional) {
        if (peek().is("*") || peek().is("*:")) {
            throw refuse(peek(), "the spread operator is not allowed");
        }
        if (isKeyStart()) {
            Entry e = entry();
            for (Entry x : named) {
                if (x.key().equals(e.key())) {
                    throw error(e.line(), e.col(), "the named argument '" + e.key() + "' is given twice");
                }
            }
            named.add(e);
        } else {
            positional.add(statementLike());
        }
    }

    private Node closure() {
        Token open = next();
        enter(open);
        brackets.add('{');
        String param = "it";
        // parameters: everything up to a '->' at this level, before a ';' or a line break between statements
        // (line breaks right after '{' or ',' or before '->' are Groovy's nls); nested brackets are skipped whole
        int arrow = -1;
        for (int k = p; k < tokens.size(); k++) {
            Token x = tk(k);
            if (x.type == T.EOF || x.is(";") || x.is("}") || x.is(")") || x.is("]")
                    || k > p && x.nl && !x.is("->") && !tk(k - 1).is(",")) {
                break;
            }
            if (x.is("->")) {
                arrow = k;
                break;
            }
            if (x.is("(") || x.is("[") || x.is("{") || x.is("?[")) {
                if (match[k] < 0) {
                    break;
                }
                k = match[k];
            }
        }
        if (arrow >= 0) {
            param = closureParameter(open, arrow);
            p = arrow + 1;
        }
        List<Node> body = statements(false);
        next();
        brackets.remove(brackets.size() - 1);
        leave();
        return new Closure(param, body, open.line, open.col);
    }

    /** The one parameter between {@code p} and {@code arrow}: untyped or double, no default, no annotation. */
    private String closureParameter(Token open, int arrow) {
        if (arrow == p) {
            return "it";
        }
        int commas = 0;
        int d = 0;
        for (int k = p; k < arrow; k++) {
            Token x = tk(k);
            d += x.is("(") || x.is("[") || x.is("<") ? 1 : x.is(")") || x.is("]") || x.is(">") ? -1 : 0;
            if (d == 0 && x.is(",")) {
                commas++;
            }
        }
        if (commas > 0) {
            throw refuse(open, "closures take at most one parameter here ({ x -> ... })");
        }
        Token t = peek();
        if (t.is("@")) {
            throw refuse(t, "annotations (@" + peek(1).text + ") are not allowed");
        }
        while (peek().is("final") || peek().is("def")) {
            next();
        }
        String type = "def";
        if ((peek().type == T.IDENT || peek().type == T.KEYWORD && PRIMITIVES.contains(peek().text)) && p + 1 < arrow
                && !peek(1).is("=")) {
            type = type();
        }
        Token name = peek();
        if (name.type != T.IDENT && !(name.is("it"))) {
            throw error(name, "expected a closure parameter name, found " + name.show());
        }
        next();
        if (peek().is("=")) {
            throw refuse(open, "default values of closure parameters are not allowed");
        }
        if (p != arrow) {
            throw error(peek(), "unexpected " + peek().show() + " in the closure's parameter");
        }
        if (!Set.of("def", "double", "java.lang.Object", "Object", "java.lang.Double", "Double", "Number", "java.lang.Number").contains(type)) {
            throw refuse(open, "a closure parameter is untyped or double, not " + type);
        }
        return name.text;
    }

    private String text(Token from, Token to) {
        return src.substring(from.start, Math.max(from.start, to.end));
    }

    static String abbreviate(String s) {
        String one = s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }
}

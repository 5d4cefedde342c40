package io.kube4j.apiserver.table;

import static java.util.Objects.requireNonNull;

/**
 * One column of a Table, as {@code columnDefinitions} lists it.
 *
 * @param name        title-cased name; kubectl upper-cases it
 * @param type        OpenAPI type of the cells: string, integer, number, boolean, date
 * @param format      e.g. "name" for the object name column, else ""
 * @param description what the column shows
 * @param priority    0 always shown, 1 shown only by {@code -o wide}
 */
record Column(String name, String type, String format, String description, int priority) {
    Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(format, "format is null");
        requireNonNull(description, "description is null");
    }

    static Column nameColumn() {
        return new Column("Name", "string", "name",
                "Name must be unique within a namespace. It is the identifier clients use to refer to the object.", 0);
    }

    static Column ageColumn() {
        return new Column("Age", "string", "",
                "CreationTimestamp is the time the object was created, shown as the time elapsed since then.", 0);
    }

    static Column string(String name, String description) {
        return new Column(name, "string", "", description, 0);
    }

    static Column integer(String name, String description) {
        return new Column(name, "integer", "", description, 0);
    }

    static Column wide(String name, String description) {
        return new Column(name, "string", "", description, 1);
    }
}

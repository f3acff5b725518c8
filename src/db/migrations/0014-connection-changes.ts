import { type Kysely, sql } from 'kysely';

/**
 * Every change of a connection's row is announced on `netbaron_connection_changed` (its id), by the
 * database itself whoever writes it: a process that listens keeps the connection's clients in memory
 * until told, instead of reading the row before every order it sends.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function netbaron_connection_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('netbaron_connection_changed', coalesce(new.id, old.id)::text);
      return null;
    end $$`.execute(db);
  await sql`create trigger connection_changed after update or delete on connections
    for each row execute function netbaron_connection_changed()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger connection_changed on connections`.execute(db);
  await sql`drop function netbaron_connection_changed()`.execute(db);
}

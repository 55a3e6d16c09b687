"""Automatic branch filtering in the ORM: the first of the two isolation layers.

Every ORM ``select``, ``update`` and ``delete`` touching a :class:`TenantScoped` model gets
``tenant_id = <current branch>`` added (also on joins, relationship loads and aliases).
With no branch selected the query fails closed: it raises when a branch-owned model is the
subject of the statement, and any branch-owned entity reached indirectly matches nothing.
Writes are checked at flush: a new row takes the current branch, a row of another branch
is refused. PostgreSQL row-level security (:mod:`duo.core.tenancy.rls`) backs this up for raw SQL.
"""

from __future__ import annotations

from sqlalchemy import event, false
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from duo.core.tenancy.context import CrossTenantWriteError, NoTenantError, current_scope
from duo.core.tenancy.models import TenantScoped


def _is_scoped(cls: type) -> bool:
    return isinstance(cls, type) and issubclass(cls, TenantScoped)


@event.listens_for(Session, "do_orm_execute")
def _filter_to_current_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    scope = current_scope()
    tenant_id = scope.tenant_id
    if tenant_id is None:
        if any(_is_scoped(m.class_) for m in state.all_mappers):
            raise NoTenantError("query of a branch-owned model with no branch selected")
        state.statement = state.statement.options(
            with_loader_criteria(TenantScoped, lambda cls: false(), include_aliases=True)
        )
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
        )
    )


@event.listens_for(Session, "before_flush")
def _check_writes(session: Session, flush_context, instances) -> None:
    touched = [o for o in (*session.new, *session.dirty, *session.deleted) if _is_scoped(type(o))]
    if not touched:
        return
    tenant_id = current_scope().tenant_id
    if tenant_id is None:
        raise NoTenantError("write of a branch-owned row with no branch selected")
    for obj in touched:
        if obj in session.new and obj.tenant_id is None:
            obj.tenant_id = tenant_id
        if obj.tenant_id != tenant_id:
            raise CrossTenantWriteError(
                f"{type(obj).__name__} of branch {obj.tenant_id} written while working "
                f"for branch {tenant_id}"
            )

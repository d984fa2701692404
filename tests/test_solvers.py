"""The pinned solvers load into one process (highspy 1.15 and OR-Tools 9.15 cannot)."""

from __future__ import annotations


def test_highspy_and_ortools_share_a_process() -> None:
    import highspy
    from ortools.sat.python import cp_model

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    x = h.addVariable(lb=0, ub=4)
    h.maximize(x)
    assert h.getInfo().objective_function_value == 4

    model = cp_model.CpModel()
    y = model.new_int_var(0, 7, "y")
    model.maximize(y)
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert solver.value(y) == 7

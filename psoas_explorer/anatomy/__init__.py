"""The anatomy model: geometry, kinematics, the diagram and its text description."""

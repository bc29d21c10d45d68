"""Pregón: la plataforma de la Unidad de Comunicación Social."""

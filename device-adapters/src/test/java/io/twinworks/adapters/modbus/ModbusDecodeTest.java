package io.twinworks.adapters.modbus;

import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import io.twinworks.adapters.codec.FrameException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModbusDecodeTest {

    private static InputRegister[] registers(int... values) {
        InputRegister[] registers = new InputRegister[values.length];
        for (int i = 0; i < values.length; i++) {
            registers[i] = new SimpleRegister(values[i]);
        }
        return registers;
    }

    @Test
    void registersDecodeAsUnsignedSignedAndBigEndianFloat() throws Exception {
        int bits = Float.floatToIntBits(-12.5f);
        assertThat(ModbusPortAdapter.decode(ModbusSettings.Type.UINT16, registers(0xFFFE))).isEqualTo(65534L);
        assertThat(ModbusPortAdapter.decode(ModbusSettings.Type.INT16, registers(0xFFFE))).isEqualTo(-2L);
        assertThat(ModbusPortAdapter.decode(ModbusSettings.Type.FLOAT32, registers(bits >>> 16, bits & 0xFFFF))).isEqualTo(-12.5);
    }

    @Test
    void shortAnswersAndNonFiniteFloatsAreRefused() {
        int nan = Float.floatToIntBits(Float.NaN);
        assertThatThrownBy(() -> ModbusPortAdapter.decode(ModbusSettings.Type.FLOAT32, registers(1)))
                .isInstanceOf(FrameException.class).hasMessageContaining("fewer registers");
        assertThatThrownBy(() -> ModbusPortAdapter.decode(ModbusSettings.Type.FLOAT32, registers(nan >>> 16, nan & 0xFFFF)))
                .hasMessageContaining("not finite");
    }
}

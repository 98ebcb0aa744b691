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

    @Test
    void thirtyTwoBitIntegersDecodeHighWordFirst() throws Exception {
        assertThat(ModbusPortAdapter.decode(ModbusSettings.Type.UINT32, registers(0x0001, 0x86A0))).isEqualTo(100_000L);
        assertThat(ModbusPortAdapter.decode(ModbusSettings.Type.UINT32, registers(0xFFFF, 0xFFFF))).isEqualTo(4_294_967_295L);
        assertThat(ModbusPortAdapter.decode(ModbusSettings.Type.INT32, registers(0xFFFF, 0xFFFE))).isEqualTo(-2L);
        assertThatThrownBy(() -> ModbusPortAdapter.decode(ModbusSettings.Type.INT32, registers(1)))
                .hasMessageContaining("fewer registers");
    }

    @Test
    void writesEncodeEachTypeAndRefuseValuesThatDoNotFit() {
        assertThat(ModbusPortAdapter.encode(ModbusSettings.Type.INT16, -2)).extracting(r -> r.getValue()).containsExactly(0xFFFE);
        assertThat(ModbusPortAdapter.encode(ModbusSettings.Type.UINT32, 100_000)).extracting(r -> r.getValue())
                .containsExactly(0x0001, 0x86A0);
        assertThat(ModbusPortAdapter.encode(ModbusSettings.Type.INT32, -2)).extracting(r -> r.getValue())
                .containsExactly(0xFFFF, 0xFFFE);
        int bits = Float.floatToIntBits(42.5f);
        assertThat(ModbusPortAdapter.encode(ModbusSettings.Type.FLOAT32, 42.5)).extracting(r -> r.getValue())
                .containsExactly(bits >>> 16, bits & 0xFFFF);
        assertThatThrownBy(() -> ModbusPortAdapter.encode(ModbusSettings.Type.UINT16, 70_000)).hasMessageContaining("16-bit");
        assertThatThrownBy(() -> ModbusPortAdapter.encode(ModbusSettings.Type.UINT32, -1)).hasMessageContaining("uint32");
        assertThatThrownBy(() -> ModbusPortAdapter.encode(ModbusSettings.Type.INT32, 3e9)).hasMessageContaining("int32");
        assertThatThrownBy(() -> ModbusPortAdapter.encode(ModbusSettings.Type.FLOAT32, 1e300)).hasMessageContaining("float32");
        assertThatThrownBy(() -> ModbusPortAdapter.encode(ModbusSettings.Type.FLOAT32, Double.NaN)).hasMessageContaining("finite");
    }

    @Test
    void bitTablesNeedTheBoolTypeAndRegistersRefuseIt() {
        var target = new io.twinworks.adapters.codec.FieldTarget("running", "on",
                io.twinworks.adapters.codec.FieldTarget.Type.BOOLEAN, 1, 0);
        assertThatThrownBy(() -> new ModbusSettings.RegisterRead(0, ModbusSettings.Kind.COIL, ModbusSettings.Type.UINT16, target))
                .hasMessageContaining("type must be bool");
        assertThatThrownBy(() -> new ModbusSettings.RegisterRead(0, ModbusSettings.Kind.HOLDING, ModbusSettings.Type.BOOL, target))
                .hasMessageContaining("coil or discrete");
        assertThat(new ModbusSettings.RegisterRead(0, ModbusSettings.Kind.DISCRETE, ModbusSettings.Type.BOOL, target).count()).isEqualTo(1);
    }
}
